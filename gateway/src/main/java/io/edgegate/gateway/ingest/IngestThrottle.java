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

  /** Called on {@code connection}'s event loop after an append. */
  void pauseIfNeeded(DeviceConnection connection) {
    if (!journal.overHighWatermark() || connection.paused()) {
      return;
    }
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
