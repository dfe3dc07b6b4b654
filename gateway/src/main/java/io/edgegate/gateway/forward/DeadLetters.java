package io.edgegate.gateway.forward;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of an event Kafka refused for good, in both delivery modes: its dead-letter record,
 * or, if Kafka refused that too, a drop. Stateless: it changes the {@link Outgoing}, so only the
 * forwarder that owns it calls this, from its loop (asserted there).
 */
final class DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private DeadLetters() {}

  /**
   * Swaps {@code o}'s record for its dead-letter record (counted, logged) and returns true; if it
   * was the dead-letter record Kafka refused, counts the event as dropped, logs it with its journal
   * index (it stays in the journal for replay) and returns false: the caller settles it.
   */
  static boolean swap(
      Outgoing o, SendFailure kind, Throwable error, String topic, ForwardStats stats) {
    if (!o.deadLettered) {
      log.warn(
          "Kafka refused event {} for good ({}): sending it to dead-letter topic {}",
          Long.toHexString(o.index),
          SendFailure.unwrap(error).toString(),
          topic);
      stats.deadLettered(kind, note(o.record, kind, error));
      o.record = record(o.record, kind, error, topic);
      o.deadLettered = true;
      return true;
    }
    log.error(
        "Kafka refused event {} on the dead-letter topic too ({}); it stays in the journal at"
            + " this index for replay",
        Long.toHexString(o.index),
        SendFailure.unwrap(error).toString());
    stats.dropped(ForwardDrop.DEAD_LETTER_REFUSED);
    return false;
  }

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

  /** What the console lists of it, read from the original record's headers. */
  private static DeadLetterNote note(
      ProducerRecord<String, byte[]> original, SendFailure kind, Throwable error) {
    return new DeadLetterNote(
        header(original, "ce_id"),
        header(original, "edgegate_device"),
        header(original, "mqtt_topic") != null ? header(original, "mqtt_topic") : original.topic(),
        kind.tag(),
        SendFailure.unwrap(error).toString(),
        DeadLetterNote.preview(original.value()));
  }

  private static String header(ProducerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
