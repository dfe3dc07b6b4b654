package io.edgegate.gateway.ingest;

import io.edgegate.gateway.journal.JournalWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pauses device sockets while the journal has more pending appends than it allows, and resumes them
 * all once the backlog is below half of that. Thread-safe: connections pause themselves on their
 * event loops; the journal triggers the resume from whichever event loop its completions released
 * the backlog on.
 */
final class IngestThrottle {
  /** A connection as the throttle sees it: its publish path, {@link InboundPublishes}. */
  interface Throttled {
    /** Whether its socket is paused for the journal (its event loop). */
    boolean paused();

    /** Pauses its socket for the journal (its event loop). */
    void pause();

    /** Resumes it on its own event loop. Any thread. */
    void resumeOnItsLoop();
  }

  private final JournalWriter journal;
  // At most one entry per open connection: bounded by mqtt.limits.maxConnections.
  private final Set<Throttled> paused = ConcurrentHashMap.newKeySet();

  IngestThrottle(JournalWriter journal) {
    this.journal = journal;
    journal.onLowWatermark(this::resumeAll);
  }

  /**
   * Called on {@code connection}'s event loop after an append: pauses it while the events waiting
   * for the journal exceed its memory budget. Not for the disk limit: there a device is paused only
   * once it was told so ({@link #pauseRefused}), or an MQTT 5 device could be paused between an
   * accepted publish and its first 0x97 and never learn why it stalls.
   */
  void pauseIfNeeded(Throttled connection) {
    if (!journal.pendingOverHighWatermark() || connection.paused()) {
      return;
    }
    pauseUntilRoom(connection);
  }

  /**
   * Called on {@code connection}'s event loop after the journal refused one of its events as full
   * (and the device was told, or the QoS 0 event dropped): its later publishes wait, unread, until
   * the journal takes events again.
   */
  void pauseRefused(Throttled connection) {
    if (!connection.paused()) {
      pauseUntilRoom(connection);
    }
  }

  private void pauseUntilRoom(Throttled connection) {
    connection.pause();
    paused.add(connection);
    // The writer may have crossed the low watermark before we were queued: check again.
    if (!journal.overHighWatermark()) {
      resumeAll();
    }
  }

  /** {@code connection} paused itself (events wait for journal space): resume it with the rest. */
  void pausedOutside(Throttled connection) {
    paused.add(connection);
    if (!journal.overHighWatermark()) {
      resumeAll();
    }
  }

  /** {@code connection} closed (on its event loop): there is nothing left to resume. */
  void closed(Throttled connection) {
    paused.remove(connection);
  }

  /** Connections waiting for the journal to have room. */
  int pausedConnections() {
    return paused.size();
  }

  private void resumeAll() {
    for (Throttled c : paused) {
      if (paused.remove(c)) { // one resume per pause, whoever else runs this at the same time
        c.resumeOnItsLoop();
      }
    }
  }
}
