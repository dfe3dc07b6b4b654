package io.edgegate.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's {@code edgegate_dlq_reason} values: unique, never one of the forwarder's (both
 * count in {@code edgegate.events.dead.lettered}), and those the README's "Validation and dead
 * letters" names.
 */
class DeadLetterReasonTest {
  @Test
  void tagsAreUniqueAndDocumented() {
    assertThat(Arrays.stream(DeadLetterReason.values()).map(DeadLetterReason::tag))
        .containsExactly(
            "payload-too-large",
            "unmatched-topic",
            "unknown-device",
            "not-json",
            "not-json-object",
            "schema-invalid")
        .doesNotHaveDuplicates()
        .doesNotContainAnyElementsOf(
            Arrays.stream(io.edgegate.gateway.forward.SendFailure.values())
                .map(io.edgegate.gateway.forward.SendFailure::tag)
                .toList());
  }
}
