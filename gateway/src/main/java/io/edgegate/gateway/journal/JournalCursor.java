package io.edgegate.gateway.journal;

import java.util.NavigableSet;
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
        try {
          return JournalCodec.read(dc.wire().bytes(), index);
        } catch (CorruptEntryException e) {
          return new DamagedEntry(index, e.getMessage());
        }
      } catch (RuntimeException | AssertionError e) {
        // Chronicle reports broken framing as exceptions (and, with -ea, AssertionErrors). What
        // follows in this file cannot be found: report it, continue with the next file.
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

  /** Moves to the start of the first cycle after {@code cycle}; false if there is none yet. */
  private boolean moveBeyond(int cycle) {
    int last = queue.lastCycle();
    if (last <= cycle) {
      return false;
    }
    NavigableSet<Long> later = queue.listCyclesBetween(cycle + 1, last);
    for (long c : later) {
      if (tailer.moveToCycle((int) c)) {
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
