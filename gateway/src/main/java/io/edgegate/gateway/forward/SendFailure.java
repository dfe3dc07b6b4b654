package io.edgegate.gateway.forward;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * What a failed send means, decided by the exception's type (never its message): the record's own
 * fault, which no retry will mend (it goes to the dead-letter topic), or a problem of Kafka or the
 * connection, which passes (retry for ever; the journal holds the backlog meanwhile). Each kind
 * carries its {@code reason} tag of {@code edgegate.events.dead.lettered}, also the {@code
 * edgegate_dlq_reason} header value.
 */
public enum SendFailure {
  RETRY("retriable"),
  RECORD_TOO_LARGE("record-too-large"),
  INVALID_TOPIC("invalid-topic"),
  NOT_AUTHORIZED("not-authorized"),
  INVALID_RECORD("invalid-record");

  private final String tag;

  SendFailure(String tag) {
    this.tag = tag;
  }

  /** The {@code reason} tag and dead-letter header value. */
  public String tag() {
    return tag;
  }

  boolean deadLetters() {
    return this != RETRY;
  }

  static SendFailure of(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof RetriableException) {
      return RETRY;
    }
    if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException) {
      return RECORD_TOO_LARGE;
    }
    if (e instanceof InvalidTopicException) {
      return INVALID_TOPIC;
    }
    if (e instanceof AuthorizationException) {
      return NOT_AUTHORIZED;
    }
    if (e instanceof InvalidRecordException || e instanceof SerializationException) {
      return INVALID_RECORD;
    }
    // Anything else (a producer-level fault, an unexpected error) is not this record's fault.
    return RETRY;
  }

  static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof ExecutionException
            || e instanceof CompletionException
            || (e.getClass() == KafkaException.class))
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
