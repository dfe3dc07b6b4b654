package io.edgegate.gateway.forward;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds the dead-letter record of an event Kafka refused for good. */
final class DeadLetters {
  private DeadLetters() {}

  /**
   * The original record's key and headers, plus {@code edgegate_dlq_reason}, {@code
   * edgegate_dlq_error} and {@code edgegate_dlq_original_topic}; for a record too large for Kafka,
   * no value but {@code edgegate_dlq_payload_bytes} (the payload stays in the journal).
   */
  static ProducerRecord<String, byte[]> record(
      ProducerRecord<String, byte[]> original, SendFailure kind, Throwable error, String topic) {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : original.headers()) {
      headers.add(h);
    }
    headers.add("edgegate_dlq_reason", bytes(kind.tag()));
    headers.add("edgegate_dlq_error", bytes(SendFailure.unwrap(error).toString()));
    headers.add("edgegate_dlq_original_topic", bytes(original.topic()));
    byte[] value = original.value();
    if (kind == SendFailure.RECORD_TOO_LARGE) {
      headers.add(
          "edgegate_dlq_payload_bytes", bytes(Integer.toString(value == null ? 0 : value.length)));
      value = null;
    }
    return new ProducerRecord<>(topic, null, null, original.key(), value, headers);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
