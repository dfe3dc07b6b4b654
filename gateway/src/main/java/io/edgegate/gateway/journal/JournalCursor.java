package io.edgegate.gateway.journal;

import io.edgegate.gateway.thread.Confinement;
import java.io.File;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads entries in journal order from a read-only view, for tools ({@link JournalInspector}). An
 * entry that cannot be decoded comes back as a {@link DamagedEntry}; so does a file that cannot be
 * read on (a torn write, a file cut off by a crash): it is reported once and reading goes on with
 * the next file, so a reader never stops at damage.
 *
 * <p>Unlike the gateway's {@link JournalReader} it does not wait for the writer's sync: it also
 * returns entries appended but not yet durable (acknowledged to no device yet). <b>Not
 * thread-safe</b>: one thread owns a cursor; it reads files, so that thread is never an event loop.
 */
public final class JournalCursor implements AutoCloseable {
  private final Confinement.Owner owner = Confinement.firstCaller();
  private static final int NONE = Integer.MIN_VALUE;

  private final SingleChronicleQueue queue;
  private final ExcerptTailer tailer;
  private final RollCycle roll;
  private final File dir;
  private final long from;

  /** A cycle that cannot be read on: the next read starts at a later file. */
  private int skipCycle = NONE;

  /** Reported by the next call: what of a cut-off file is lost. */
  private DamagedEntry lost;

  // The current file as last seen: its length, and whether a crash cut it off.
  private File file;
  private long fileLength;
  private Truncation truncation;
  // The current file's last entry when the next file cannot be read at all, else -1: Chronicle
  // would go on into that file by itself after it (and fault), so the cursor stops there.
  private long lastBeforeUnreadable = -1;

  /** A cursor on {@code tailer} that skips entries before index {@code from}. */
  JournalCursor(SingleChronicleQueue queue, ExcerptTailer tailer, long from) {
    this.queue = queue;
    this.tailer = tailer;
    this.roll = queue.rollCycle();
    this.dir = queue.file();
    this.from = from;
  }

  /** Makes the next read start at the first file after {@code cycle}. */
  void skipTo(int cycle) {
    assert owner.check();
    skipCycle = cycle;
  }

  /** The next entry, or null when there is none (yet: a live journal may grow). */
  public JournalEntry next() {
    assert owner.check();
    JournalEntry e;
    do {
      e = read();
    } while (e != null && e.index() < from);
    return e;
  }

  private JournalEntry read() {
    while (true) {
      if (lost != null) {
        DamagedEntry d = lost;
        lost = null;
        return d;
      }
      if (skipCycle != NONE) {
        JournalEntry unreadable = moveBeyond(skipCycle);
        if (unreadable != null) {
          return unreadable;
        }
        if (skipCycle != NONE) {
          return null; // nothing readable after the damage (yet)
        }
      }
      long at = NONE;
      try {
        at = tailer.index();
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) {
            return null;
          }
          long index = dc.index();
          long end = dc.wire().bytes().readLimit();
          checkFile(end, index);
          if (index == lastBeforeUnreadable) {
            skipCycle = roll.toCycle(index); // the next read reports the unreadable file
          }
          if (!dc.isData()) {
            continue; // Chronicle's own metadata documents
          }
          if (end > fileLength) {
            return new DamagedEntry(index, torn(end));
          }
          try {
            return JournalCodec.read(dc.wire().bytes(), index);
          } catch (CorruptEntryException e) {
            return new DamagedEntry(index, e.getMessage());
          }
        }
      } catch (RuntimeException | AssertionError | InternalError e) {
        // Chronicle reports broken framing as exceptions (with -ea also AssertionErrors); a fault
        // on a mapped page past a file's end surfaces as InternalError (see Truncation). The
        // tailer may have gone on to the next file before failing: blame the one it is on.
        int cycle = tailer.cycle();
        if (at == NONE || cycle == NONE || cycle < roll.toCycle(at)) {
          cycle = at == NONE ? cycle : roll.toCycle(at);
        }
        skipCycle = cycle;
        long index = at != NONE && roll.toCycle(at) == cycle ? at : roll.toIndex(cycle, 0);
        return unreadable(index, cycle, e.toString());
      }
    }
  }

  /**
   * Notes the file the entry ending at {@code end} is in. In a file a crash cut off, reading stops
   * before the next header could lie on a page past the file's end: the rest is reported lost.
   */
  private void checkFile(long end, long index) {
    File current = tailer.currentFile();
    if (current == null) {
      return;
    }
    if (!current.equals(file)) {
      file = current;
      fileLength = current.length();
      truncation = Truncation.of(queue, roll.toCycle(index));
      lastBeforeUnreadable = truncation == null ? lastBeforeUnreadable(roll.toCycle(index)) : -1;
    }
    if (end > fileLength) {
      fileLength = current.length(); // a live file may have grown since
    }
    if (truncation != null && end + Truncation.NEXT_HEADER_SLACK > truncation.safeEnd()) {
      skipCycle = roll.toCycle(index);
      lost =
          new DamagedEntry(
              Math.max(index + 1, from),
              "entries after " + Long.toHexString(index) + " are lost: " + truncation.describe());
    }
  }

  /** The last entry of whole file {@code cycle} if the file after it cannot be read, else -1. */
  private long lastBeforeUnreadable(int cycle) {
    int next = fileAfter(cycle);
    Truncation t = next == NONE ? null : Truncation.of(queue, next);
    if (t == null || !t.unreadable()) {
      return -1;
    }
    try (ExcerptTailer counter = queue.createTailer()) {
      long entries = counter.excerptsInCycle(cycle);
      return entries > 0 ? roll.toIndex(cycle, entries - 1) : -1;
    }
  }

  private String torn(long end) {
    return "torn write: the entry ends at byte "
        + end
        + " of "
        + file.getName()
        + ", which holds "
        + fileLength
        + " bytes (the gateway's next start quarantines this tail)";
  }

  /**
   * Moves to the start of the first readable file after {@code cycle}, clearing {@link #skipCycle}
   * on success; returns the report of a file found unreadable on the way, else null.
   */
  private JournalEntry moveBeyond(int cycle) {
    int after = cycle;
    while (true) {
      int next = fileAfter(after);
      if (next == NONE) {
        return null; // nothing after it (yet): skipCycle stays
      }
      skipCycle = next; // unless the move below succeeds
      Truncation t = Truncation.of(queue, next);
      if (t != null && t.unreadable()) {
        return unreadable(roll.toIndex(next, 0), next, t.describe());
      }
      try {
        if (tailer.moveToCycle(next)) {
          skipCycle = NONE;
          return null;
        }
      } catch (RuntimeException | AssertionError | InternalError e) {
        return unreadable(roll.toIndex(next, 0), next, e.toString());
      }
      after = next; // the file went meanwhile (retention): look further
    }
  }

  private DamagedEntry unreadable(long index, int cycle, String why) {
    return new DamagedEntry(
        Math.max(index, from),
        "journal file of cycle "
            + cycle
            + " cannot be read from entry "
            + Long.toHexString(index)
            + " on, the rest of that file is skipped: "
            + why);
  }

  /** The first cycle after {@code cycle} that has a file, or NONE. */
  private int fileAfter(int cycle) {
    for (int c : JournalFiles.cycles(dir.toPath(), roll)) {
      if (c > cycle) {
        return c;
      }
    }
    return NONE;
  }

  /** Releases the tailer. Call on the owning thread. */
  @Override
  public void close() {
    assert owner.check();
    tailer.close();
  }
}
