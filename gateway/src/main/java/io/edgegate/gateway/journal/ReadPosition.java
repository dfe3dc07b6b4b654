package io.edgegate.gateway.journal;

import io.edgegate.gateway.thread.Confinement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@link JournalReader} must read next, by the files present: which entry follows the one
 * handed on last (see the reader's <b>Contiguity</b>), and how a tailer is put right after it. It
 * skips the files this reader moved to quarantine, and notes a file that vanished unforwarded.
 *
 * <p><b>Confined to the reader thread</b> {@code edgegate-journal-reader} (its counting tailer is
 * the reader's): every method that touches files or tailers is called on the reader thread and
 * asserts it.
 */
final class ReadPosition {
  private static final Logger log = LoggerFactory.getLogger(ReadPosition.class);

  static final long NONE = Checkpoint.NONE;

  /** {@link #entriesIn}: the cycle has no file. */
  static final long NO_FILE = -1;

  /** {@link #entriesIn}: the cycle's file cannot be counted. */
  static final long UNKNOWN = -2;

  private final SingleChronicleQueue queue;
  private final RollCycle roll;
  private final Path dir;
  private final Checkpoint checkpoint;
  private final JournalStats stats;
  private final Thread reader;

  /** Cycles this reader moved to quarantine: Chronicle may still hold their stores. */
  private final Set<Integer> quarantined = new HashSet<>();

  private ExcerptTailer counter; // counts entries of a cycle
  private int vanishedCycle = Integer.MIN_VALUE;

  ReadPosition(
      SingleChronicleQueue queue, Checkpoint checkpoint, JournalStats stats, Thread reader) {
    this.queue = queue;
    this.roll = queue.rollCycle();
    this.dir = queue.file().toPath();
    this.checkpoint = checkpoint;
    this.stats = stats;
    this.reader = reader;
  }

  /** Takes the tailer that counts entries; the reader owns and closes it. Reader thread. */
  void counter(ExcerptTailer counter) {
    assert Confinement.onThread(reader);
    this.counter = counter;
  }

  /** The file of {@code cycle} was moved to quarantine: not read again. Reader thread. */
  void quarantined(int cycle) {
    assert Confinement.onThread(reader);
    quarantined.add(cycle);
  }

  /**
   * Whether {@code index} is the entry that must come right after {@code after}. Called on the
   * reader thread.
   */
  boolean follows(long after, long index) {
    assert Confinement.onThread(reader);
    if (after != NONE && roll.toCycle(after) == roll.toCycle(index)) {
      return index == after + 1;
    }
    return index == expectedAfter(after);
  }

  /**
   * The index of the entry that follows {@code after} in the files present, or NONE when no file
   * holds one (yet). Touches files: called (on the reader thread) only where a file ends.
   */
  long expectedAfter(long after) {
    assert Confinement.onThread(reader);
    queue.refreshDirectoryListing(); // Chronicle's may be stale after files went and came back
    int from = Integer.MIN_VALUE;
    if (after != NONE) {
      from = roll.toCycle(after);
      if (!quarantined.contains(from)) {
        long n = entriesIn(from);
        if (n == UNKNOWN || n > roll.toSequenceNumber(after) + 1) {
          return after + 1;
        }
        if (n == NO_FILE && checkpoint.indexSeenByOthers() < after) {
          // Housekeeping deletes a file only once all of it is forwarded: this one vanished.
          noteVanished(from, after);
        }
      }
    }
    for (int c : JournalFiles.cycles(dir, roll)) {
      if (c > from && !quarantined.contains(c) && (entriesIn(c) > 0 || entriesIn(c) == UNKNOWN)) {
        return roll.toIndex(c, 0);
      }
    }
    return NONE;
  }

  private void noteVanished(int cycle, long after) {
    assert Confinement.onThread(reader);
    if (vanishedCycle == cycle) {
      return;
    }
    vanishedCycle = cycle;
    stats.damaged();
    log.error(
        "Journal file of cycle {} vanished before the gateway had forwarded what follows entry {}:"
            + " those entries are lost to the journal; reading goes on with the next file",
        cycle,
        hex(after));
  }

  /**
   * Entries in the file of {@code cycle}: {@link #NO_FILE}, or {@link #UNKNOWN} if unreadable.
   * Called on the reader thread.
   */
  long entriesIn(int cycle) {
    assert Confinement.onThread(reader);
    if (!Files.exists(JournalFiles.fileOf(dir, roll, cycle))) {
      return NO_FILE;
    }
    try {
      return Math.max(0, counter.excerptsInCycle(cycle));
    } catch (RuntimeException | AssertionError | InternalError e) {
      return UNKNOWN; // damaged framing: Chronicle cannot count past it
    }
  }

  /**
   * Moves {@code tailer} to the first entry after {@code after} (NONE: the journal's start). Called
   * on the reader thread.
   */
  void positionAfter(ExcerptTailer tailer, long after) {
    assert Confinement.onThread(reader);
    int cycle = after == NONE ? Integer.MIN_VALUE : roll.toCycle(after);
    try {
      if (after != NONE && !quarantined.contains(cycle) && tailer.moveToIndex(after)) {
        try (DocumentContext dc = tailer.readingDocument()) {
          // consume the entry itself: it was handed on (or forwarded) already
        }
        return;
      }
    } catch (RuntimeException | AssertionError | InternalError e) {
      // its file cannot be read there: go on with the next file
    }
    // Its file is gone (retention deleted it, or quarantine): everything left is in later files.
    // By the files present, not toStart(): Chronicle's first cycle may be stale.
    for (int c : JournalFiles.cycles(dir, roll)) {
      if (c > cycle && !quarantined.contains(c) && tailer.moveToCycle(c)) {
        return;
      }
    }
    if (after == NONE) {
      tailer.toStart();
    } else {
      tailer.toEnd();
    }
  }

  /** An index as the logs show it. */
  static String hex(long index) {
    return index == NONE ? "(none)" : Long.toHexString(index);
  }
}
