package io.edgegate.gateway.journal;

import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.thread.Confinement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * A read-only view of a journal for the {@code edgegate journal} commands, safe beside a gateway
 * that is running on the same journal.
 *
 * <p>Read-only in every respect: the queue is opened with Chronicle's {@code readOnly} (files
 * mapped read-only, no write lock, no directory created, no end-of-file marker written), the
 * checkpoint is {@linkplain Checkpoint#peek peeked} at, and a damaged tail is reported, never
 * repaired: repair (moving files, resetting the checkpoint) belongs to the gateway's start alone.
 * <b>Not thread-safe</b>: one thread owns an inspector and its cursors; opening and reading are
 * blocking file work.
 */
public final class JournalInspector implements AutoCloseable {
  private final Confinement.Owner owner = Confinement.firstCaller();
  private final Path dir;
  private final SingleChronicleQueue queue;
  private final RollCycle roll;

  private JournalInspector(Path dir, SingleChronicleQueue queue) {
    this.dir = dir;
    this.queue = queue;
    this.roll = queue.rollCycle();
  }

  /**
   * Opens the journal in {@code dir} read-only. {@code roll} is what the configuration says, or
   * null when unknown; the roll cycle the files were written with wins.
   *
   * @throws JournalNotFoundException if {@code dir} holds no journal
   */
  public static JournalInspector open(Path dir, JournalConfig.Roll roll) {
    if (!Files.isDirectory(dir)) {
      throw new JournalNotFoundException(
          dir, Files.exists(dir) ? "it is not a directory" : "the directory does not exist");
    }
    if (!JournalFiles.holdsJournal(dir)) {
      throw new JournalNotFoundException(
          dir, "the directory holds no journal files (metadata.cq4t, *.cq4)");
    }
    SingleChronicleQueue queue =
        SingleChronicleQueueBuilder.binary(dir)
            .rollCycle(
                JournalFiles.rollCycleOf(
                    dir, Journal.rollCycle(roll != null ? roll : JournalConfig.Roll.HOURLY)))
            .readOnly(true)
            // an interrupt ends `tail --follow`; it must not surface as a Chronicle exception
            .checkInterrupts(false)
            .build();
    return new JournalInspector(dir, queue);
  }

  public Path dir() {
    return dir;
  }

  /** Index of the oldest entry, or -1 when the journal is empty. */
  public long firstIndex() {
    assert owner.check();
    return lastIndex() < 0 ? -1 : guard("to find its first entry", queue::firstIndex);
  }

  /** Index of the newest entry, or -1 when the journal is empty. */
  public long lastIndex() {
    assert owner.check();
    int[] cycles = JournalFiles.cycles(dir, roll);
    if (cycles.length > 0 && Truncation.of(queue, cycles[cycles.length - 1]) != null) {
      return scanLastIndex(cycles); // Chronicle's look-up would read past the cut-off end
    }
    return guard("to find its last entry", queue::lastIndex);
  }

  /** The forward checkpoint as the gateway last stored it, or {@link Checkpoint#NONE}. */
  public long checkpoint() throws IOException {
    assert owner.check();
    return Checkpoint.peek(dir.resolve(Checkpoint.FILE_NAME));
  }

  /** A cursor at the first entry with an index of {@code index} or more. */
  public JournalCursor cursorAt(long index) {
    assert owner.check();
    long last = lastIndex();
    if (last < 0 || index > last) {
      return cursorAtEnd(index); // entries appended later may still reach it
    }
    int cycle = roll.toCycle(index);
    Truncation t = Truncation.of(queue, cycle);
    if (t == null) {
      return cursor(
          "at index " + Long.toHexString(index), index, tl -> positionAtOrAfter(tl, index));
    }
    if (t.unreadable()) {
      return cursorAfter(cycle - 1, index); // its first read reports the file
    }
    // Read up to it rather than look it up: the look-up could run past the cut-off end.
    return cursor("in " + t.file().getName(), index, tl -> tl.moveToCycle(cycle));
  }

  /** A cursor at the oldest entry. */
  public JournalCursor cursorAtStart() {
    assert owner.check();
    int[] cycles = JournalFiles.cycles(dir, roll);
    Truncation t = cycles.length == 0 ? null : Truncation.of(queue, cycles[0]);
    if (t != null && t.unreadable()) {
      return cursorAfter(cycles[0] - 1, 0); // its first read reports the file
    }
    return cursor("from its start", 0, ExcerptTailer::toStart);
  }

  /** A cursor at the last {@code n} entries (0: after the newest, for new ones only). */
  public JournalCursor cursorAtLast(long n) {
    assert owner.check();
    long last = lastIndex();
    if (n <= 0 || last < 0) {
      return cursorAtEnd(0);
    }
    long start = guard("to count its last entries", () -> startOfLast(n, last));
    return cursorAt(start);
  }

  /** A cursor after the newest entry, skipping entries before {@code from}. */
  private JournalCursor cursorAtEnd(long from) {
    int[] cycles = JournalFiles.cycles(dir, roll);
    if (cycles.length > 0 && Truncation.of(queue, cycles[cycles.length - 1]) != null) {
      return cursorAfter(cycles[cycles.length - 1], from); // toEnd would read the cut-off end
    }
    return cursor("at its end", from, ExcerptTailer::toEnd);
  }

  /** A cursor whose first read starts at the first file after {@code cycle}. */
  private JournalCursor cursorAfter(int cycle, long from) {
    JournalCursor cursor = new JournalCursor(queue, queue.createTailer(), from);
    cursor.skipTo(cycle);
    return cursor;
  }

  /**
   * The journal's figures now. Blocking: a few index look-ups and entries, a directory listing,
   * {@code du}; when damage defeats the look-ups, a read of every entry instead.
   */
  public JournalSummary summarize() throws IOException {
    assert owner.check();
    return JournalSurvey.of(this);
  }

  /** The first file a crash cut off, or null. */
  Truncation firstTruncation() {
    for (int cycle : JournalFiles.cycles(dir, roll)) {
      Truncation t = Truncation.of(queue, cycle);
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  /** Entries from {@code from} (inclusive) to {@code to} (exclusive), by index look-ups. */
  long countExcerpts(String what, long from, long to) {
    return guard(what, () -> queue.countExcerpts(from, to));
  }

  RollCycle roll() {
    return roll;
  }

  /** The newest entry's index, read from the newest file whose start is readable on. */
  private long scanLastIndex(int[] cycles) {
    for (int i = cycles.length - 1; i >= 0; i--) {
      Truncation t = Truncation.of(queue, cycles[i]);
      if (t != null && t.unreadable()) {
        continue;
      }
      int cycle = cycles[i];
      try (JournalCursor cursor = cursor("in its newest files", 0, tl -> tl.moveToCycle(cycle))) {
        long last = -1;
        for (JournalEntry e = cursor.next(); e != null; e = cursor.next()) {
          last = e.index();
        }
        if (last >= 0) {
          return last;
        }
      }
    }
    return -1;
  }

  /** Entries in the file of {@code cycle}, counted by reading it when a crash cut it off. */
  private long entriesIn(int cycle, ExcerptTailer counter) {
    Truncation t = Truncation.of(queue, cycle);
    if (t == null) {
      return counter.excerptsInCycle(cycle);
    }
    if (t.unreadable()) {
      return 0;
    }
    long n = 0;
    try (JournalCursor cursor =
        cursor("in " + t.file().getName(), 0, tl -> tl.moveToCycle(cycle))) {
      for (JournalEntry e = cursor.next(); e != null && roll.toCycle(e.index()) == cycle; ) {
        n++;
        e = cursor.next();
      }
    }
    return n;
  }

  /**
   * A new cursor placed by {@code position}, skipping entries before {@code from}; damage in the
   * way is a typed error.
   */
  private JournalCursor cursor(String where, long from, Consumer<ExcerptTailer> position) {
    ExcerptTailer tailer = queue.createTailer();
    try {
      guard(
          where,
          () -> {
            position.accept(tailer);
            return null;
          });
      return new JournalCursor(queue, tailer, from);
    } catch (RuntimeException e) {
      tailer.close();
      throw e;
    }
  }

  /**
   * Runs a Chronicle look-up; damage it runs into becomes a {@link JournalUnreadableException}.
   * Chronicle reports broken framing as exceptions (with -ea also AssertionErrors), the JVM a read
   * past the end of a truncated mapped file as InternalError.
   */
  private <T> T guard(String what, Supplier<T> lookUp) {
    try {
      return lookUp.get();
    } catch (JournalUnreadableException e) {
      throw e;
    } catch (RuntimeException | AssertionError | InternalError e) {
      throw new JournalUnreadableException(dir, what, e);
    }
  }

  /**
   * The index of the first of the last {@code n} entries up to {@code last}, counted back over roll
   * cycles (an index is its cycle and a sequence number within the cycle, so plain subtraction
   * works only inside one file).
   */
  private long startOfLast(long n, long last) {
    int lastCycle = roll.toCycle(last);
    int[] cycles = JournalFiles.cycles(dir, roll);
    long remaining = n;
    try (ExcerptTailer counter = queue.createTailer()) {
      for (int i = cycles.length - 1; i >= 0; i--) {
        int cycle = cycles[i];
        if (cycle > lastCycle) {
          continue; // created since `last` was read
        }
        long count =
            cycle == lastCycle ? roll.toSequenceNumber(last) + 1 : entriesIn(cycle, counter);
        if (count <= 0) {
          continue;
        }
        if (remaining <= count) {
          return roll.toIndex(cycle, count - remaining);
        }
        remaining -= count;
      }
    }
    return queue.firstIndex(); // fewer than n entries: all of them
  }

  /**
   * Moves {@code tailer} to {@code index}, or where the first entry after it would be: the start of
   * the next file when that index's file has no such entry or is gone, the end when none is.
   */
  private void positionAtOrAfter(ExcerptTailer tailer, long index) {
    long first = queue.firstIndex();
    if (index <= first) {
      tailer.toStart();
      return;
    }
    if (tailer.moveToIndex(index)) {
      return;
    }
    int cycle = roll.toCycle(index);
    for (int c : JournalFiles.cycles(dir, roll)) {
      if (c > cycle && tailer.moveToCycle(c)) {
        return;
      }
    }
    tailer.toEnd(); // a file went since cursorAt looked (retention): after the newest entry
  }

  /** Releases the view's files. Call on the owning thread, after closing its cursors. */
  @Override
  public void close() {
    queue.close();
  }
}
