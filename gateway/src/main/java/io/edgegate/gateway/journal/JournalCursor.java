package io.edgegate.gateway.journal;

import java.io.File;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads entries in journal order from a read-only view, for tools ({@link JournalInspector}). An
 * entry that cannot be decoded comes back as a {@link DamagedEntry}; a file whose framing breaks (a
 * torn write) is reported once and left for the next file, so reading never stops at damage.
 *
 * <p>Unlike the gateway's {@link JournalReader} it does not wait for the writer's sync: it also
 * returns entries appended but not yet durable (acknowledged to no device yet). <b>Not
 * thread-safe</b>: one thread owns a cursor; it reads files, so that thread is never an event loop.
 */
public final class JournalCursor implements AutoCloseable {
  private final SingleChronicleQueue queue;
  private final ExcerptTailer tailer;
  private final RollCycle roll;

  /** The cycle whose broken framing was reported, while no newer cycle exists; else MIN_VALUE. */
  private int brokenCycle = Integer.MIN_VALUE;

  // The current file's length as last seen: re-read only when an entry seems to end beyond it.
  private File file;
  private long fileLength;

  JournalCursor(SingleChronicleQueue queue, ExcerptTailer tailer) {
    this.queue = queue;
    this.tailer = tailer;
    this.roll = queue.rollCycle();
  }

  /** The next entry, or null when there is none (yet: a live journal may grow). */
  public JournalEntry next() {
    if (brokenCycle != Integer.MIN_VALUE && !moveBeyond(brokenCycle)) {
      return null;
    }
    while (true) {
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
        // Chronicle reports broken framing as exceptions (and, with -ea, AssertionErrors); the JVM
        // reports a read of a mapped page beyond the end of a truncated file as an InternalError.
        // What follows in this file cannot be found: report it, continue with the next file.
        int cycle = roll.toCycle(at);
        if (!moveBeyond(cycle)) {
          brokenCycle = cycle;
        }
        return new DamagedEntry(
            at,
            "journal file of cycle "
                + cycle
                + " cannot be read from entry "
                + Long.toHexString(at)
                + " on; entries after it in that file are skipped: "
                + e);
      }
    }
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

  /** Moves to the start of the first cycle after {@code cycle}; false if there is none yet. */
  private boolean moveBeyond(int cycle) {
    if (queue.lastCycle() <= cycle) {
      return false;
    }
    for (int c : JournalFiles.cycles(queue.file().toPath(), roll)) {
      if (c > cycle && tailer.moveToCycle(c)) {
        brokenCycle = Integer.MIN_VALUE;
        return true;
      }
    }
    return false;
  }

  /** Releases the tailer. Call on the owning thread. */
  @Override
  public void close() {
    tailer.close();
  }
}
