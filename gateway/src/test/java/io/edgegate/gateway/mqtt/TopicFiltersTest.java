package io.edgegate.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicFiltersTest {
  @Test
  void wildcardFiltersFollowTheSpec() {
    assertThat(TopicFilters.matches(TopicFilters.levels("#"), "$SYS/x")).isFalse();
    assertThat(TopicFilters.matches(TopicFilters.levels("+/x"), "$SYS/x")).isFalse();
    assertThat(TopicFilters.matches(TopicFilters.levels("$SYS/#"), "$SYS/x")).isTrue();
    assertThat(TopicFilters.matches(TopicFilters.levels("a/+/c"), "a//c")).isTrue();
    assertThat(TopicFilters.matches(TopicFilters.levels("a/+"), "a")).isFalse();
    assertThat(TopicFilters.matches(TopicFilters.levels("a/+"), "a/")).isTrue();
    assertThat(TopicFilters.matches(TopicFilters.levels("a"), "a/b")).isFalse();
    assertThat(TopicFilters.matches(TopicFilters.levels("/a"), "/a")).isTrue();
    assertThat(TopicFilters.validTopicName("a/+")).isFalse();
    assertThat(TopicFilters.validTopicName("a/#")).isFalse();
    assertThat(TopicFilters.validTopicName("a\u0000b")).isFalse();
    assertThat(TopicFilters.validTopicName("a\uFFFDb")).isFalse();
    assertThat(TopicFilters.validTopicName("caf\u00e9/\uD83D\uDE00")).isTrue();
    assertThat(TopicFilters.validTopicName("bad\uD83D")).isFalse();
    assertThat(TopicFilters.validFilter("a/#/b")).isFalse();
    assertThat(TopicFilters.validFilter("a/b+")).isFalse();
    assertThat(TopicFilters.validFilter("+/+/#")).isTrue();
  }
}
