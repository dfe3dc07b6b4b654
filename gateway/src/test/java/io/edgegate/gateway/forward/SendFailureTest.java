package io.edgegate.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class SendFailureTest {

  @Test
  void theExceptionTypeDecidesRetryOrDeadLetter() {
    assertThat(SendFailure.of(new TimeoutException("metadata"))).isEqualTo(SendFailure.RETRY);
    assertThat(SendFailure.of(new NetworkException("down"))).isEqualTo(SendFailure.RETRY);
    assertThat(SendFailure.of(new RecordTooLargeException("big")))
        .isEqualTo(SendFailure.RECORD_TOO_LARGE);
    assertThat(SendFailure.of(new TopicAuthorizationException("t")))
        .isEqualTo(SendFailure.NOT_AUTHORIZED);
    assertThat(
            SendFailure.of(
                new ExecutionException(new KafkaException(new RecordTooLargeException("big")))))
        .isEqualTo(SendFailure.RECORD_TOO_LARGE);
    // Not the record's fault: retried, the journal buffers meanwhile.
    assertThat(SendFailure.of(new IllegalStateException("producer closed")))
        .isEqualTo(SendFailure.RETRY);
  }
}
