package io.edgegate.gateway.ingest.stats;

/** What the MQTT side reports; called on ingest event loops. */
public interface IngestStats {
  // Every method is a no-op by default: an implementation reports only what it watches.

  /** A TCP (or, on a TLS listener, TLS) connection was accepted, before its CONNECT or limits. */
  default void accepted() {}

  /** A device's CONNECT was accepted. */
  default void connected() {}

  default void disconnected() {}

  default void received(int qos) {}

  /** A QoS 1/2 event was journaled and acknowledged to its device. */
  default void acknowledged(int qos) {}

  /** A QoS 1/2 event was not journaled; the device was told (MQTT 5) or disconnected (3.1.1). */
  default void refused(PublishRefusal reason) {}

  /** A QoS 0 event was not journaled and is gone (QoS 0 promises nothing more). */
  default void dropped(PublishRefusal reason) {}

  default void protocolViolation() {}

  /** A repeated QoS 2 PUBLISH (same packet id, before PUBREL) was not journaled again. */
  default void duplicateSuppressed() {}

  /** A connection was refused or failed before its CONNECT completed. */
  default void connectionRefused(ConnectionRefusal reason) {}

  /** An accepted connection was closed by a limit (keep-alive, packet timeout, rate, in-flight). */
  default void connectionClosed(ConnectionClose reason) {}

  /** A device went over its publish rate: its socket was paused (or it was disconnected). */
  default void throttled() {}

  /** A SUBSCRIBE topic filter was refused (ACL, invalid filter). */
  default void subscriptionRefused(SubscriptionRefusal reason) {}

  /** A password check took {@code nanos}, on a worker thread. */
  default void passwordChecked(long nanos) {}

  /** Reports nothing. */
  IngestStats NONE = new IngestStats() {};
}
