package io.edgegate.gateway.journal;

import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.thread.Confinement;
import java.nio.file.Path;
import java.util.NavigableSet;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Measures the backlog, the entries after the forward checkpoint, which is the gateway's consumer
 * lag: how many entries, how many bytes of journal they take, and when the oldest was received.
 *
 * <p>It reads a read-only view of the journal's files of its own (Chronicle supports several queue
 * instances on one directory), so it shares no tailer or lock with the writer and reader threads. A
 * measurement costs a few index look-ups per roll cycle in the backlog and one decoded entry,
 * whatever the backlog's size. <b>Not thread-safe</b>: one thread owns a probe; it reads files
 * (page faults on a cold journal), so that thread is never an event loop.
 */
public final class BacklogProbe implements AutoCloseable {
  private final Confinement.Owner owner = Confinement.firstCaller();
  // Chronicle's length-prefix header in front of each document.
  private static final int HEADER_BYTES = 4;

  /**
   * The backlog at one moment.
   *
   * @param events entries after the checkpoint (damaged ones included)
   * @param bytes journal bytes those entries take, headers included
   * @param oldestReceivedAtMillis receive time of the first of them, or -1 when there is none (or
   *     it cannot be decoded)
   */
  public record Backlog(long events, long bytes, long oldestReceivedAtMillis) {
    public static final Backlog NONE = new Backlog(0, 0, -1);
  }

  private final SingleChronicleQueue queue;
  private final RollCycle rollCycle;
  private final ExcerptTailer tailer;

  private BacklogProbe(SingleChronicleQueue queue) {
    this.queue = queue;
    this.rollCycle = queue.rollCycle();
    this.tailer = queue.createTailer();
  }

  /**
   * Opens a read-only view of the journal in {@code dir}, which must exist (the gateway opens its
   * {@link Journal} first). Blocking.
   */
  public static BacklogProbe open(Path dir, JournalConfig.Roll roll) {
    SingleChronicleQueue queue =
        SingleChronicleQueueBuilder.binary(dir)
            .rollCycle(Journal.rollCycle(roll))
            .readOnly(true)
            .build();
    try {
      return new BacklogProbe(queue);
    } catch (RuntimeException e) {
      queue.close();
      throw e;
    }
  }

  /** Measures the entries after {@code checkpoint} ({@link Checkpoint#NONE}: all of them). */
  public Backlog measure(long checkpoint) {
    assert owner.check();
    long last = queue.lastIndex();
    if (last < 0 || (checkpoint != Checkpoint.NONE && checkpoint >= last)) {
      return Backlog.NONE;
    }
    long first;
    long startPosition;
    long receivedAt;
    positionAfter(checkpoint);
    try (DocumentContext dc = tailer.readingDocument()) {
      if (!dc.isPresent()) {
        return Backlog.NONE;
      }
      first = dc.index();
      Bytes<?> bytes = dc.wire().bytes();
      startPosition = bytes.readPosition() - HEADER_BYTES;
      receivedAt = receivedAt(bytes, first);
    }
    long events = queue.countExcerpts(first, last) + 1;
    return new Backlog(events, bytesBetween(first, startPosition, last), receivedAt);
  }

  private void positionAfter(long checkpoint) {
    if (checkpoint == Checkpoint.NONE || !tailer.moveToIndex(checkpoint)) {
      // No checkpoint, or its file is gone (retention): everything left is after it.
      tailer.toStart();
      return;
    }
    try (DocumentContext dc = tailer.readingDocument()) {
      // skip the checkpointed entry itself: it is forwarded
    }
  }

  private static long receivedAt(Bytes<?> bytes, long index) {
    try {
      return JournalCodec.read(bytes, index).receivedAtMillis();
    } catch (CorruptEntryException e) {
      return -1; // the reader reports damaged entries; here it only means "age unknown"
    }
  }

  /**
   * Bytes from the start of entry {@code first} (at {@code firstPosition} in its cycle file) to the
   * end of entry {@code last}, summed over the cycle files in between: positions are per file.
   */
  private long bytesBetween(long first, long firstPosition, long last) {
    int firstCycle = rollCycle.toCycle(first);
    int lastCycle = rollCycle.toCycle(last);
    long lastEnd = endOf(last);
    if (firstCycle == lastCycle) {
      return Math.max(0, lastEnd - firstPosition);
    }
    NavigableSet<Long> cycles = queue.listCyclesBetween(firstCycle, lastCycle);
    long total = 0;
    for (long c : cycles) {
      int cycle = (int) c;
      long start = cycle == firstCycle ? firstPosition : startOfCycle(cycle);
      long end = cycle == lastCycle ? lastEnd : endOfCycle(cycle);
      if (start >= 0 && end > start) {
        total += end - start;
      }
    }
    return total;
  }

  /** The position just after entry {@code index}, or -1 if it cannot be found. */
  private long endOf(long index) {
    if (!tailer.moveToIndex(index)) {
      return -1;
    }
    try (DocumentContext dc = tailer.readingDocument()) {
      return dc.isPresent() ? dc.wire().bytes().readLimit() : -1;
    }
  }

  private long startOfCycle(int cycle) {
    if (!tailer.moveToCycle(cycle)) {
      return -1;
    }
    try (DocumentContext dc = tailer.readingDocument()) {
      return dc.isPresent() && rollCycle.toCycle(dc.index()) == cycle
          ? dc.wire().bytes().readPosition() - HEADER_BYTES
          : -1;
    }
  }

  private long endOfCycle(int cycle) {
    long entries = tailer.excerptsInCycle(cycle);
    return entries <= 0 ? -1 : endOf(rollCycle.toIndex(cycle, entries - 1));
  }

  /** Releases the view's files. Call on the owning thread. */
  @Override
  public void close() {
    assert owner.check();
    tailer.close();
    queue.close();
  }
}
