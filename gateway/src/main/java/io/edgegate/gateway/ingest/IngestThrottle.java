package io.edgegate.gateway.ingest;

import io.edgegate.gateway.journal.JournalWriter;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Pauses device sockets while the journal has more pending appends than it allows, and resumes them
 * all once the backlog is below half of that. Thread-safe: connections pause themselves on their
 * event loops; the journal triggers the resume from whichever event loop its completions released
 * the backlog on.
 */
final class IngestThrottle {
  private final JournalWriter journal;
  private final ConcurrentLinkedQueue<DeviceConnection> paused = new ConcurrentLinkedQueue<>();

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
  void pauseIfNeeded(DeviceConnection connection) {
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
  void pauseRefused(DeviceConnection connection) {
    if (!connection.paused()) {
      pauseUntilRoom(connection);
    }
  }

  private void pauseUntilRoom(DeviceConnection connection) {
    connection.pause();
    paused.add(connection);
    // The writer may have crossed the low watermark before we were queued: check again.
    if (!journal.overHighWatermark()) {
      resumeAll();
    }
  }

  /** {@code connection} paused itself (events wait for journal space): resume it with the rest. */
  void pausedOutside(DeviceConnection connection) {
    paused.add(connection);
    if (!journal.overHighWatermark()) {
      resumeAll();
    }
  }

  private void resumeAll() {
    DeviceConnection c;
    while ((c = paused.poll()) != null) {
      c.resumeOnItsLoop();
    }
  }
}
