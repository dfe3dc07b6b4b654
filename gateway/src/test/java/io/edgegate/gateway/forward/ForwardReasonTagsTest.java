package io.edgegate.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.ingest.stats.PublishRefusal;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The forwarder's {@code reason} tags: unique, and the values consumers of the DLQ read. */
class ForwardReasonTagsTest {
  @Test
  void sendFailuresAreTheDeadLetterReasonHeaderValues() {
    assertThat(Arrays.stream(SendFailure.values()).map(SendFailure::tag))
        .containsExactly(
            "retriable", "record-too-large", "invalid-topic", "not-authorized", "invalid-record")
        .doesNotHaveDuplicates();
    assertThat(SendFailure.RETRY.deadLetters()).isFalse();
  }

  @Test
  void forwardDropsDoNotReuseAnIngestTagOfTheSameMeter() {
    // edgegate.events.dropped counts both; a shared tag would merge two different losses.
    assertThat(Arrays.stream(ForwardDrop.values()).map(ForwardDrop::tag))
        .containsExactly("dead-letter-refused")
        .doesNotContainAnyElementsOf(
            Arrays.stream(PublishRefusal.values()).map(PublishRefusal::tag).toList());
  }

  @Test
  void producerReplacementsAreThoseTheMetricsTableNames() {
    assertThat(Arrays.stream(ProducerReplacement.values()).map(ProducerReplacement::tag))
        .containsExactly("out-of-order-sequence");
  }
}
