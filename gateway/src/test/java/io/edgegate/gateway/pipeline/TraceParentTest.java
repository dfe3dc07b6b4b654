package io.edgegate.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class TraceParentTest {

  @Test
  void acceptsOnlyWellFormedVersion00Values() {
    assertThat(TraceParent.isValid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        .isTrue();
    assertThat(TraceParent.isValid("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
        .isFalse();
    assertThat(TraceParent.isValid("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"))
        .isFalse();
    assertThat(TraceParent.isValid("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"))
        .isFalse();
    assertThat(TraceParent.isValid("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        .isFalse();
    assertThat(TraceParent.isValid("garbage")).isFalse();
    assertThat(TraceParent.isValid(null)).isFalse();
  }

  @Test
  void startedTraceIsValidAndStableForTheSameEvent() {
    UUID id = UUID.fromString("0190f3a0-7b1c-7def-8123-456789abcdef");
    String t = TraceParent.startFor(id);
    assertThat(TraceParent.isValid(t)).isTrue();
    assertThat(t).startsWith("00-0190f3a07b1c7def8123456789abcdef-").endsWith("-01");
    assertThat(TraceParent.startFor(id)).isEqualTo(t);
  }
}
