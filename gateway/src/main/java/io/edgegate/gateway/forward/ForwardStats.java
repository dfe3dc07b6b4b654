package io.edgegate.gateway.forward;

/** What the forwarder reports; called on the pipeline's event loop. */
public interface ForwardStats {
  /** Kafka acknowledged an event received {@code receivedAtMillis}. */
  void forwarded(long receivedAtMillis);

  void deadLettered(String reason);

  void dropped(String reason);

  void retried();

  /** Kafka took (true) or failed (false) the last send. */
  void kafkaAvailable(boolean available);

  ForwardStats NONE =
      new ForwardStats() {
        @Override
        public void forwarded(long receivedAtMillis) {}

        @Override
        public void deadLettered(String reason) {}

        @Override
        public void dropped(String reason) {}

        @Override
        public void retried() {}

        @Override
        public void kafkaAvailable(boolean available) {}
      };
}
