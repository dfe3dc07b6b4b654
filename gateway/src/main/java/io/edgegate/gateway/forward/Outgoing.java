package io.edgegate.gateway.forward;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One journal entry on its way to Kafka: a plain holder, owned by its forwarder's loop (the
 * forwarder asserts it), except that the sender thread reads {@link #record} while it is in flight
 * and Kafka's thread sets {@link #answer}.
 *
 * <p>A {@code null} record marks an entry with nothing to send (a damaged journal entry): it only
 * holds its place in journal order, so that the checkpoint moves past it; so does an event whose
 * MQTT 5 Message Expiry Interval ran out before it was sent.
 */
public final class Outgoing {
  final long index;
  final long receivedAtMillis;
  final long expiresAtMillis; // Unix epoch ms; 0 = never
  final int weight;
  ProducerRecord<String, byte[]> record;
  boolean settled;
  long sentAtNanos; // last time it was handed to the producer; 0 before
  boolean deadLettered;
  int sentBytes; // counted against forward.maxInFlightBytes while in flight
  // Kafka's answer to the last send (null: taken), written by Kafka's thread and read on the
  // loop after the hand-off through RecordSender's queue
  Throwable answer;

  public Outgoing(
      long index, long receivedAtMillis, int weight, ProducerRecord<String, byte[]> record) {
    this(index, receivedAtMillis, 0, weight, record);
  }

  /**
   * @param expiresAtMillis when the event expires (Unix epoch ms), 0 for never: not sent after it
   */
  public Outgoing(
      long index,
      long receivedAtMillis,
      long expiresAtMillis,
      int weight,
      ProducerRecord<String, byte[]> record) {
    this.index = index;
    this.receivedAtMillis = receivedAtMillis;
    this.expiresAtMillis = expiresAtMillis;
    this.weight = weight;
    this.record = record;
  }

  /**
   * Whether its Message Expiry Interval has run out at {@code nowMillis}: the MQTT 5 server "MUST
   * NOT" deliver it then [MQTT-3.3.2-5]; Kafka is where this gateway delivers.
   */
  boolean expiredAt(long nowMillis) {
    return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
  }

  /** A placeholder for an index that is settled without sending anything. */
  public static Outgoing skipped(long index) {
    Outgoing o = new Outgoing(index, 0, 0, null);
    o.settled = true;
    return o;
  }
}
