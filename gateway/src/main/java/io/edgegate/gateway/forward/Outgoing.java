package io.edgegate.gateway.forward;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One journal entry on its way to Kafka. Confined to the pipeline's event loop.
 *
 * <p>A {@code null} record marks an entry with nothing to send (a damaged journal entry): it only
 * holds its place in journal order, so that the checkpoint moves past it.
 */
public final class Outgoing {
  final long index;
  final long receivedAtMillis;
  final int weight;
  ProducerRecord<String, byte[]> record;
  boolean settled;
  long sentAtNanos; // last time it was handed to the producer; 0 before
  boolean deadLettered;

  public Outgoing(
      long index, long receivedAtMillis, int weight, ProducerRecord<String, byte[]> record) {
    this.index = index;
    this.receivedAtMillis = receivedAtMillis;
    this.weight = weight;
    this.record = record;
  }

  /** A placeholder for an index that is settled without sending anything. */
  public static Outgoing skipped(long index) {
    Outgoing o = new Outgoing(index, 0, 0, null);
    o.settled = true;
    return o;
  }
}
