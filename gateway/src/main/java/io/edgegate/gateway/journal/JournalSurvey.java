package io.edgegate.gateway.journal;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import net.openhft.chronicle.queue.RollCycle;

/**
 * Takes a journal's figures for {@link JournalInspector#summarize()}: from Chronicle's indexes (a
 * few look-ups whatever the journal's size) or, when a file is cut off or the look-ups fail, by
 * reading every entry.
 */
final class JournalSurvey {
  // How far the receive-time look-ups search for a decodable entry past damaged ones.
  private static final int DECODE_ATTEMPTS = 100;

  private final JournalInspector journal;
  private final RollCycle roll;

  private JournalSurvey(JournalInspector journal) {
    this.journal = journal;
    this.roll = journal.roll();
  }

  static JournalSummary of(JournalInspector journal) throws IOException {
    return new JournalSurvey(journal).summary();
  }

  private JournalSummary summary() throws IOException {
    long checkpoint = journal.checkpoint();
    JournalExtent extent;
    Truncation cut = journal.firstTruncation();
    if (cut != null) {
      extent = scan(checkpoint, cut.describe()); // look-ups would read past the cut-off end
    } else {
      try {
        extent = lookUp(checkpoint);
      } catch (JournalUnreadableException e) {
        extent = scan(checkpoint, "index look-ups failed: " + e.getCause());
      }
    }
    List<JournalSummary.CycleFile> files = JournalFiles.cycleFiles(journal.dir(), roll);
    return new JournalSummary(
        journal.dir().toAbsolutePath().normalize(),
        roll.toString(),
        extent.entries(),
        extent.first(),
        extent.last(),
        checkpoint,
        extent.backlog(),
        files.size(),
        files.isEmpty() ? null : files.get(0),
        files.isEmpty() ? null : files.get(files.size() - 1),
        JournalFiles.diskBytes(journal.dir()),
        JournalFiles.apparentBytes(journal.dir()),
        extent.oldestReceivedAt(),
        extent.newestReceivedAt(),
        JournalFiles.quarantined(journal.dir()),
        extent.damaged(),
        extent.problem());
  }

  private JournalExtent scan(long checkpoint, String problem) {
    try (JournalCursor cursor = journal.cursorAtStart()) {
      return JournalExtent.scan(
          cursor, checkpoint, problem + "; the figures come from reading every entry");
    }
  }

  private JournalExtent lookUp(long checkpoint) {
    long last = journal.lastIndex();
    if (last < 0) {
      return JournalExtent.EMPTY;
    }
    long first = journal.firstIndex();
    long entries = journal.countExcerpts("to count its entries", first, last) + 1;
    long backlog;
    if (checkpoint == Checkpoint.NONE || checkpoint < first) {
      backlog = entries; // nothing forwarded, or the checkpoint's file is gone: all of it waits
    } else if (checkpoint >= last) {
      backlog = 0;
    } else {
      // the same count as Journal.backlog()
      backlog = journal.countExcerpts("to count its backlog", checkpoint, last);
    }
    return new JournalExtent(
        entries, first, last, backlog, oldestReceivedAt(), newestReceivedAt(last), -1, null);
  }

  private Instant oldestReceivedAt() {
    try (JournalCursor cursor = journal.cursorAtStart()) {
      for (int i = 0; i < DECODE_ATTEMPTS; i++) {
        JournalEntry e = cursor.next();
        if (e == null) {
          return null;
        }
        if (e instanceof JournalEvent event) {
          return Instant.ofEpochMilli(event.receivedAtMillis());
        }
      }
      return null;
    }
  }

  /** The newest decodable entry's receive time, looking back within the newest file. */
  private Instant newestReceivedAt(long last) {
    long lastSeq = roll.toSequenceNumber(last);
    int cycle = roll.toCycle(last);
    for (long seq = lastSeq; seq >= 0 && seq > lastSeq - DECODE_ATTEMPTS; seq--) {
      try (JournalCursor cursor = journal.cursorAt(roll.toIndex(cycle, seq))) {
        if (cursor.next() instanceof JournalEvent event && event.index() <= last) {
          return Instant.ofEpochMilli(event.receivedAtMillis());
        }
      }
    }
    return null;
  }
}
