package io.edgegate.gateway.forward;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where exactly-once delivery keeps the journal position it committed ({@link CommittedPosition} in
 * the gateway). {@link #ensureTopic} and {@link #read} block: the sender thread calls them.
 */
interface TransactionPosition {
  /** The record a transaction carries to commit {@code lastIndex}. */
  ProducerRecord<String, byte[]> record(long lastIndex);

  /** Makes sure the position can be written (creates its topic if missing). */
  void ensureTopic() throws Exception;

  /** The last committed journal index, or {@code Checkpoint.NONE}. */
  long read();
}
