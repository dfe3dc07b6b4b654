package io.edgegate.gateway.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ReplayFilterTest {
  private static final Instant T = Instant.parse("2026-12-07T08:00:00.000Z");

  static DeadLetter deadLetter(String reason, String device, Instant receivedAt) {
    ConsumerRecord<String, byte[]> r =
        new ConsumerRecord<>("dlq", 0, 7, device, new byte[] {'{', '}'});
    if (reason != null) {
      r.headers().add(DeadLetter.REASON, reason.getBytes(StandardCharsets.UTF_8));
    }
    if (device != null) {
      r.headers().add(DeadLetter.CLIENT_ID, device.getBytes(StandardCharsets.UTF_8));
    }
    if (receivedAt != null) {
      r.headers().add("ce_time", receivedAt.toString().getBytes(StandardCharsets.UTF_8));
    }
    return new DeadLetter(r);
  }

  @Test
  void noCriteriaTakeEverythingEvenWithoutHeaders() {
    assertThat(ReplayFilter.ALL.admits(deadLetter(null, null, null))).isTrue();
    assertThat(ReplayFilter.ALL.admits(deadLetter("schema-invalid", "dev-1", T))).isTrue();
  }

  @Test
  void reasonsAreAnyOfTheGivenOnes() {
    ReplayFilter f =
        new ReplayFilter(Set.of("schema-invalid", "unmatched-topic"), null, null, null);
    assertThat(f.admits(deadLetter("schema-invalid", "dev-1", T))).isTrue();
    assertThat(f.admits(deadLetter("unmatched-topic", "dev-1", T))).isTrue();
    assertThat(f.admits(deadLetter("not-json", "dev-1", T))).isFalse();
    assertThat(f.admits(deadLetter(null, "dev-1", T))).isFalse();
  }

  @Test
  void deviceIsTheClientIdHeaderElseTheKey() {
    ReplayFilter f = new ReplayFilter(Set.of(), "dev-1", null, null);
    assertThat(f.admits(deadLetter("schema-invalid", "dev-1", T))).isTrue();
    assertThat(f.admits(deadLetter("schema-invalid", "dev-2", T))).isFalse();
    ConsumerRecord<String, byte[]> keyOnly = new ConsumerRecord<>("dlq", 0, 1, "dev-1", null);
    assertThat(f.admits(new DeadLetter(keyOnly))).isTrue();
  }

  @Test
  void sinceIsInclusiveUntilExclusiveOnTheReceiveTime() {
    ReplayFilter f = new ReplayFilter(Set.of(), null, T, T.plusSeconds(60));
    assertThat(f.admits(deadLetter("x", "d", T))).isTrue();
    assertThat(f.admits(deadLetter("x", "d", T.plusSeconds(59)))).isTrue();
    assertThat(f.admits(deadLetter("x", "d", T.plusSeconds(60)))).isFalse();
    assertThat(f.admits(deadLetter("x", "d", T.minusMillis(1)))).isFalse();
    assertThat(f.admits(deadLetter("x", "d", null)))
        .as("a time criterion does not take a dead letter without ce_time")
        .isFalse();
    assertThat(
            new ReplayFilter(Set.of(), null, null, T)
                .admits(deadLetter("x", "d", T.minusSeconds(1))))
        .isTrue();
  }

  @Test
  void criteriaCombine() {
    ReplayFilter f = new ReplayFilter(Set.of("schema-invalid"), "dev-1", T, null);
    assertThat(f.admits(deadLetter("schema-invalid", "dev-1", T))).isTrue();
    assertThat(f.admits(deadLetter("schema-invalid", "dev-2", T))).isFalse();
    assertThat(f.admits(deadLetter("not-json", "dev-1", T))).isFalse();
    assertThat(f.admits(deadLetter("schema-invalid", "dev-1", T.minusSeconds(1)))).isFalse();
  }

  @Test
  void anEmptyTimeRangeIsRefused() {
    assertThatThrownBy(() -> new ReplayFilter(Set.of(), null, T, T))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not before");
  }
}
