package io.edgegate.gateway.journal;

import java.io.File;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads entries in journal order from a read-only view, for tools ({@link JournalInspector}). An
 * entry that cannot be decoded comes back as a {@link DamagedEntry}; so does a file that cannot be
 * read on (a torn write, a truncated file): it is reported once and reading goes on with the next
 * file, so a reader never stops at damage.
 *
 * <p>Unlike the gateway's {@link JournalReader} it does not wait for the writer's sync: it also
 * returns entries appended but not yet durable (acknowledged to no device yet). <b>Not
 * thread-safe</b>: one thread owns a cursor; it reads files, so that thread is never an event loop.
 */
public final class JournalCursor implements AutoCloseable {
  private static final int NONE = Integer.MIN_VALUE;

  private final SingleChronicleQueue queue;
  private final ExcerptTailer tailer;
  private final RollCycle roll;
  private final File dir;

  /** A cycle that cannot be read on: the next read starts at a later file. */
  private int skipCycle = NONE;

  // The current file's length as last seen: re-read only when an entry seems to end beyond it.
  private File file;
  private long fileLength;

  JournalCursor(SingleChronicleQueue queue, ExcerptTailer tailer) {
    this.queue = queue;
    this.tailer = tailer;
    this.roll = queue.rollCycle();
    this.dir = queue.file();
  }

  /** The next entry, or null when there is none (yet: a live journal may grow). */
  public JournalEntry next() {
    while (true) {
      if (skipCycle != NONE) {
        int next = fileAfter(skipCycle);
        if (next == NONE) {
          return null; // nothing readable after the damage (yet)
        }
        try {
          skipCycle = tailer.moveToCycle(next) ? NONE : next; // false: deleted meanwhile
        } catch (RuntimeException | AssertionError | InternalError e) {
          skipCycle = next;
          return unreadable(roll.toIndex(next, 0), next, e);
        }
        continue;
      }
      long at = tailer.index();
      try (DocumentContext dc = tailer.readingDocument()) {
        if (!dc.isPresent()) {
          return null;
        }
        if (!dc.isData()) {
          continue; // Chronicle's own metadata documents
        }
        long index = dc.index();
        String torn = tornEnd(dc.wire().bytes().readLimit());
        if (torn != null) {
          return new DamagedEntry(index, torn);
        }
        try {
          return JournalCodec.read(dc.wire().bytes(), index);
        } catch (CorruptEntryException e) {
          return new DamagedEntry(index, e.getMessage());
        }
      } catch (RuntimeException | AssertionError | InternalError e) {
        // Chronicle reports broken framing as exceptions (with -ea also as AssertionErrors); the
        // JVM reports a read of a mapped page past the end of a truncated file as InternalError.
        // The tailer may have gone on to the next file before failing: blame the one it is on.
        int cycle = tailer.cycle();
        if (cycle == NONE || cycle < roll.toCycle(at)) {
          cycle = roll.toCycle(at);
        }
        skipCycle = cycle;
        return unreadable(cycle == roll.toCycle(at) ? at : roll.toIndex(cycle, 0), cycle, e);
      }
    }
  }

  private DamagedEntry unreadable(long index, int cycle, Throwable e) {
    return new DamagedEntry(
        index,
        "journal file of cycle "
            + cycle
            + " cannot be read from entry "
            + Long.toHexString(index)
            + " on, the rest of that file is skipped: "
            + e);
  }

  /**
   * Why an entry ending at byte {@code end} of the current file is torn, or null if it is whole. A
   * file truncated by a crash keeps an entry's header while its end is gone; read-only mapped, the
   * missing bytes read as zeros, which could even decode. The gateway's start quarantines such a
   * tail ({@link TailRepair}); a read-only view can only say so.
   */
  private String tornEnd(long end) {
    File current = tailer.currentFile();
    if (current == null) {
      return null;
    }
    if (!current.equals(file)) {
      file = current;
      fileLength = current.length();
    }
    if (end > fileLength) {
      fileLength = current.length(); // a live file may have grown since
    }
    if (end <= fileLength) {
      return null;
    }
    return "torn write: the entry ends at byte "
        + end
        + " of "
        + current.getName()
        + ", which holds "
        + fileLength
        + " bytes (the gateway's next start quarantines this tail)";
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
    tailer.close();
  }
}
