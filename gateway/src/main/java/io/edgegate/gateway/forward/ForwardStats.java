package io.edgegate.gateway.forward;

/**
 * What the forwarder reports. Implementations are thread-safe: the forwarder writes, the admin
 * server reads.
 */
public interface ForwardStats {
  // Every method is a no-op by default: an implementation reports only what it watches.

  /** Kafka acknowledged an event received {@code receivedAtMillis}. */
  default void forwarded(long receivedAtMillis) {}

  /** Kafka refused an event for good: it goes to the dead-letter topic. */
  default void deadLettered(SendFailure reason) {}

  /**
   * The same, with what an operator's console lists of it. Called instead of {@link
   * #deadLettered(SendFailure)}, only for dead letters.
   */
  default void deadLettered(SendFailure reason, DeadLetterNote note) {
    deadLettered(reason);
  }

  default void dropped(ForwardDrop reason) {}

  /** An event's MQTT 5 Message Expiry Interval ran out before it was sent: not sent. */
  default void expired() {}

  default void retried() {}

  /**
   * The producer was closed and a new one opened because it could not recover by itself (e.g. a
   * sequence error that does not clear).
   */
  default void producerReplaced(ProducerReplacement reason) {}

  /** Kafka took (true) or failed (false) the last send. */
  default void kafkaAvailable(boolean available) {}

  /** An outage started with {@code error} (once per outage, not once per retry). */
  default void kafkaFailed(String error) {}

  /** Reports nothing. */
  ForwardStats NONE = new ForwardStats() {};
}
