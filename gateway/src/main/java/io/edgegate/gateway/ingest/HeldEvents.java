package io.edgegate.gateway.ingest;

import io.edgegate.gateway.journal.JournalEvent;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * MQTT 3.1.1 QoS 1/2 events the journal refused as full, appended again in order once it takes
 * events again. MQTT 3.1.1 has no negative acknowledgement, and a disconnect would only start a
 * reconnect storm, so they wait here while the socket is paused; later events queue behind them to
 * keep the device's order. Bounded: the socket is paused, and past {@link #MAX} the connection is
 * closed. <b>Confined to the connection's event loop.</b>
 */
final class HeldEvents {
  static final int MAX = 1024;

  private final ArrayDeque<Publish> held = new ArrayDeque<>();
  private boolean releasing;
  private boolean refusedAgain;

  /** An event waiting for its append, with what its acknowledgement needs. */
  record Publish(JournalEvent event, int qos, int packetId) {}

  boolean isEmpty() {
    return held.isEmpty();
  }

  int size() {
    return held.size();
  }

  /** Holds {@code p}, unless {@link #MAX} are held already (false: the caller closes). */
  boolean hold(Publish p) {
    if (releasing) {
      // Refused again during release(), at once (the journal is still full): first in line
      // again, and the release stops; the next resume of the socket tries again.
      held.addFirst(p);
      refusedAgain = true;
      return true;
    }
    if (held.size() >= MAX) {
      return false;
    }
    held.add(p);
    return true;
  }

  /**
   * Hands the held events to {@code append} in order. A journal that refuses an event at once
   * completes its append on this thread, and {@code append} holds it again: the release stops there
   * instead of taking it again and again while the event loop spins.
   */
  void release(Consumer<Publish> append) {
    releasing = true;
    refusedAgain = false;
    try {
      Publish p;
      while (!refusedAgain && (p = held.poll()) != null) {
        append.accept(p);
      }
    } finally {
      releasing = false;
    }
  }

  /** The connection closed: none is acknowledged, the device sends them again. */
  void discard(InboundQos2 qos2) {
    for (Publish p : held) {
      if (p.qos() == 2) {
        qos2.notJournaled(p.packetId());
      }
    }
    held.clear();
  }
}
