package io.edgegate.gateway.forward;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * The forward stage as the pipeline sees it: takes events in journal order and frees memory as
 * Kafka acknowledges them. Implementations are confined to the pipeline's event loop.
 */
public interface Forwarding {
  /** Takes the next entry in journal order. */
  void offer(Outgoing o);

  /** Takes a run of entries in journal order: one hand-off for all of them where it can. */
  default void offer(java.util.List<Outgoing> batch) {
    for (Outgoing o : batch) {
      offer(o);
    }
  }

  /** Events accepted and not yet settled (acknowledged by Kafka or dead-lettered). */
  int bufferedEvents();

  /** Payload bytes of {@link #bufferedEvents()}. */
  long bufferedBytes();

  /** Stops sending, gives in-flight work up to {@code timeout}, closes the producer. */
  Future<Void> close(Duration timeout);
}
