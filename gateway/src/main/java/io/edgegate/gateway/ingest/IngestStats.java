package io.edgegate.gateway.ingest;

/** What the MQTT side reports; called on ingest event loops. */
public interface IngestStats {
  void connected();

  void disconnected();

  void received(int qos);

  /** A QoS 1/2 event was journaled and acknowledged to its device. */
  void acknowledged(int qos);

  /** A QoS 1/2 event was not journaled; the device was told (MQTT 5) or disconnected (3.1.1). */
  void refused(String reason);

  /** A QoS 0 event was not journaled and is gone (QoS 0 promises nothing more). */
  void dropped(String reason);

  void protocolViolation();

  /** A repeated QoS 2 PUBLISH (same packet id, before PUBREL) was not journaled again. */
  void duplicateSuppressed();

  /** A connection was refused or failed before its CONNECT completed. */
  void connectionRefused(String reason);

  /** An accepted connection was closed by a limit (keep-alive, packet timeout, rate, in-flight). */
  default void connectionClosed(String reason) {}

  /** A device went over its publish rate: its socket was paused (or it was disconnected). */
  default void throttled() {}

  /** A SUBSCRIBE topic filter was refused (ACL, invalid filter). */
  default void subscriptionRefused(String reason) {}

  /** A password check took {@code nanos}, on a worker thread. */
  default void passwordChecked(long nanos) {}

  IngestStats NONE =
      new IngestStats() {
        @Override
        public void connected() {}

        @Override
        public void disconnected() {}

        @Override
        public void received(int qos) {}

        @Override
        public void acknowledged(int qos) {}

        @Override
        public void refused(String reason) {}

        @Override
        public void dropped(String reason) {}

        @Override
        public void protocolViolation() {}

        @Override
        public void duplicateSuppressed() {}

        @Override
        public void connectionRefused(String reason) {}
      };
}
