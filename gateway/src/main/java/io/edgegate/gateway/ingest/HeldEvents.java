package io.edgegate.gateway.ingest;

import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.thread.Confinement;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * MQTT 3.1.1 QoS 1/2 events the journal refused as full, appended again in order once it takes
 * events again. MQTT 3.1.1 has no negative acknowledgement, and a disconnect would only start a
 * reconnect storm, so they wait here while the socket is paused; later events queue behind them to
 * keep the device's order. Bounded: the socket is paused, and past {@code
 * mqtt.limits.maxHeldEvents} the connection is closed. <b>Confined to the connection's event
 * loop.</b>
 */
final class HeldEvents {
  private final Confinement.Owner owner = Confinement.firstCaller();
  private final int max;
  // Allocated on the first refusal: most connections never hold an event.
  private ArrayDeque<Publish> held;
  private boolean releasing;
  private boolean refusedAgain;

  /**
   * An event waiting for its append, with what its acknowledgement needs ({@code contentHash}: for
   * QoS 1/2 repeat detection, 0 when not computed).
   */
  record Publish(JournalEvent event, int qos, int packetId, long contentHash) {}

  /** At most {@code max} events are held; one more closes the connection. */
  HeldEvents(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max held events must be at least 1: " + max);
    }
    this.max = max;
  }

  boolean isEmpty() {
    assert owner.check();
    return held == null || held.isEmpty();
  }

  int size() {
    assert owner.check();
    return held == null ? 0 : held.size();
  }

  /** Holds {@code p}, unless the maximum is held already (false: the caller closes). */
  boolean hold(Publish p) {
    assert owner.check();
    if (held == null) {
      held = new ArrayDeque<>();
    }
    if (releasing) {
      // Refused again during release(), at once (the journal is still full): first in line
      // again, and the release stops; the next resume of the socket tries again.
      held.addFirst(p);
      refusedAgain = true;
      return true;
    }
    if (held.size() >= max) {
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
    assert owner.check();
    if (held == null) {
      return;
    }
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
    assert owner.check();
    if (held == null) {
      return;
    }
    for (Publish p : held) {
      if (p.qos() == 2) {
        qos2.notJournaled(p.packetId());
      }
    }
    held.clear();
  }
}
