package io.edgegate.gateway.trace;

import java.time.Instant;
import java.util.UUID;

/**
 * The answer for one event id: what the journal holds of it, what Kafka holds, and the fate that
 * follows.
 *
 * @param eventId the id asked about (the record's {@code ce_id})
 * @param fate what became of it
 * @param entry the journal entry, or null when the journal does not hold it
 * @param idTime the time in a time-ordered (version 7) id, or null for other ids
 * @param backlogPosition its place in the backlog (1: next to be forwarded), or 0 when it is not
 *     after the checkpoint
 * @param routedTopic the topic the pipeline, as configured now, sends it to; null when unknown
 * @param record the record found in Kafka (forwarded or dead-lettered), or null
 * @param copies how many records with its id the search found (more than one: re-sent copies, which
 *     consumers deduplicate by {@code ce_id})
 */
public record TraceResult(
    UUID eventId,
    Fate fate,
    Journaled entry,
    Instant idTime,
    long backlogPosition,
    String routedTopic,
    KafkaRecord record,
    int copies) {

  /**
   * The journal entry of an event: where it is and what it says about its arrival.
   *
   * @param expiresAt its MQTT 5 message expiry, or null (an event whose expiry passed before its
   *     turn to be forwarded is dropped)
   * @param afterCheckpoint Kafka has not acknowledged it yet
   */
  public record Journaled(
      long index,
      String device,
      String topic,
      int qos,
      Instant receivedAt,
      Instant expiresAt,
      boolean afterCheckpoint) {}

  /**
   * A record in Kafka.
   *
   * @param timestampType {@code CreateTime} (the gateway's send) or {@code LogAppendTime}
   * @param deadLetterReason {@code edgegate_dlq_reason} of a dead letter, else null
   * @param deadLetterError {@code edgegate_dlq_error} of a dead letter, else null
   */
  public record KafkaRecord(
      String topic,
      int partition,
      long offset,
      Instant timestamp,
      String timestampType,
      String deadLetterReason,
      String deadLetterError) {}
}
