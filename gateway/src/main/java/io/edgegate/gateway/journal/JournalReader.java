package io.edgegate.gateway.journal;

import static io.edgegate.gateway.journal.ReadPosition.hex;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the journal in order on one dedicated thread, {@code edgegate-journal-reader}, which alone
 * owns the Chronicle tailer (reading a cold journal faults pages in from disk: not for an event
 * loop). Entries go to {@code sink} on the consumer's context, in batches, and only as many as the
 * consumer asked for with {@link #request} — so the backlog stays on disk, not in memory.
 *
 * <p>It reads only entries the writer has published (durable under {@code journal.sync}), so a
 * forwarded event can never be lost from the journal by a power cut.
 *
 * <p><b>Contiguity.</b> Chronicle's tailer can jump: a journal directory that went away and came
 * back left it at the writer's newest file, past unread ones. So every entry must follow the one
 * handed on before it — the next sequence number in the same file (an index is {@code cycle <<
 * shift | sequence}), or else the first entry of the next file that holds any, after the previous
 * file's last entry. An entry that does not follow is not handed on; the reader re-positions after
 * the last one it handed on, and the checkpoint refuses to pass that one ({@link
 * Checkpoint#handedOut}).
 *
 * <p><b>Damage at run time.</b> When the expected entry still cannot be read after re-positioning
 * (broken framing, an unreachable stretch of a file), the file is repaired while the gateway runs:
 * its readable unforwarded entries are appended again at the journal's end (same event ids, in
 * their order), then the file is moved to {@code <journal>-quarantine/}, counted and logged once.
 * Entries that cannot be read stay in the quarantined file. A file the writer may still append to
 * (the current period's) is repaired once the writer has moved on to the next one.
 *
 * <p>Parts: where to read next and how to get there ({@link ReadPosition}), the repair ({@link
 * RunTimeRepair}). What stays here is the reader's loop: demand, the batch read and decoded, the
 * checkpoint's bound, and the recovery from a problem.
 */
public final class JournalReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JournalReader.class);
  private static final int MAX_BATCH = 512;
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long RETRY_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * How long published entries may stay unseen before that counts as a gap (they are visible at
   * once when the writer publishes: time, not a count of polls, since publishes wake the reader).
   */
  private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /** Re-positions tried for one problem before the file counts as damaged. */
  private static final int REPOSITIONS = 2;

  private static final long REPOSITION_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private static final long NONE = Checkpoint.NONE;

  private final SingleChronicleQueue queue;
  private final RollCycle roll;
  private final JournalWriter writer;
  private final Checkpoint checkpoint;
  private final Context context;
  private final Handler<List<JournalEntry>> sink;
  private final JournalStats stats;
  private final AtomicLong demand = new AtomicLong();
  private final Thread thread;
  private final ReadPosition position; // reader thread only
  private final RunTimeRepair repair; // reader thread only
  private volatile boolean running = true;

  /** The cycle the tailer reads in, for housekeeping (which spares it); MIN_VALUE before. */
  private volatile int readingCycle = Integer.MIN_VALUE;

  // Reader thread only (asserted in read and recover).
  /** The index of the last entry handed on, or the checkpoint resumed after. */
  private long last;

  /** Gaps, stalls or read failures since the last entry handed on. */
  private int problems;

  private long stalledSince; // System.nanoTime() of the first empty read of a stall, or 0

  private ExcerptTailer tailer; // reads the entries handed on; reader thread only
  private boolean waitingLogged;

  JournalReader(
      SingleChronicleQueue queue,
      JournalWriter writer,
      Checkpoint checkpoint,
      Context context,
      Handler<List<JournalEntry>> sink,
      JournalStats stats) {
    this.queue = queue;
    this.roll = queue.rollCycle();
    this.writer = writer;
    this.checkpoint = checkpoint;
    this.last = checkpoint.index();
    this.context = context;
    this.sink = sink;
    this.stats = stats;
    checkpoint.handedOut(last);
    this.thread = new Thread(this::run, "edgegate-journal-reader");
    this.thread.setDaemon(true);
    this.position = new ReadPosition(queue, checkpoint, stats, thread);
    this.repair = new RunTimeRepair(queue, position, writer, context, stats, thread, () -> running);
  }

  void start() {
    thread.start();
  }

  /** Asks for up to {@code n} more entries. Thread-safe. */
  public void request(int n) {
    demand.addAndGet(n);
    LockSupport.unpark(thread);
  }

  /** New entries were published. Thread-safe. */
  void wakeUp() {
    LockSupport.unpark(thread);
  }

  /** The cycle of the file the reader is in, or {@link Integer#MIN_VALUE}. Any thread. */
  int readingCycle() {
    return readingCycle;
  }

  private void run() {
    try (ExcerptTailer count = queue.createTailer()) {
      position.counter(count);
      tailer = queue.createTailer();
      position.positionAfter(tailer, last);
      readingCycle = tailer.cycle();
      while (running) {
        long wanted = Math.min(demand.get(), MAX_BATCH);
        if (wanted <= 0) {
          LockSupport.park(this);
          continue;
        }
        List<JournalEntry> batch = new ArrayList<>((int) wanted);
        String problem;
        try {
          problem = read(tailer, (int) wanted, batch);
        } catch (RuntimeException | AssertionError | InternalError e) {
          problem = "reading after " + hex(last) + " failed: " + e;
        }
        int cycle = tailer.cycle();
        if (cycle != Integer.MIN_VALUE) {
          readingCycle = cycle;
        }
        if (!batch.isEmpty()) {
          problems = 0;
          stalledSince = 0;
          waitingLogged = false;
          checkpoint.handedOut(last);
          demand.addAndGet(-batch.size());
          context.runOnContext(v -> sink.handle(batch));
        }
        if (problem == STALLED) {
          long at = System.nanoTime();
          if (stalledSince == 0) {
            stalledSince = at;
          }
          problem =
              at - stalledSince < STALL_NANOS
                  ? null
                  : "published entries after " + hex(last) + " unseen";
        } else if (problem == null) {
          stalledSince = 0;
        }
        if (problem == null) {
          if (batch.isEmpty()) {
            LockSupport.parkNanos(this, IDLE_PARK_NANOS);
          }
          continue;
        }
        stalledSince = 0;
        try {
          recover(tailer, problem);
        } catch (RuntimeException | AssertionError | InternalError e) {
          // Survive one bad round: report it and try again shortly rather than die silently.
          log.error("Reading the journal failed; retrying in 1s", e);
          LockSupport.parkNanos(this, RETRY_PARK_NANOS);
        }
      }
    } finally {
      if (tailer != null) {
        tailer.close();
      }
    }
  }

  private static final String STALLED = "stalled";

  /**
   * Reads up to {@code wanted} entries into {@code batch}; returns why it stopped early if that is
   * a problem ({@link #STALLED}: nothing to read though the writer published more), else null.
   */
  private String read(ExcerptTailer tailer, int wanted, List<JournalEntry> batch) {
    assert Thread.currentThread() == thread : "the tailer belongs to the reader thread";
    long limit = writer.publishedIndex();
    while (batch.size() < wanted) {
      try (DocumentContext dc = tailer.readingDocument()) {
        if (!dc.isPresent()) {
          return limit > last && batch.isEmpty() ? STALLED : null;
        }
        long index = dc.index();
        if (index > limit) {
          dc.rollbackOnClose(); // not durable yet: read it again once published
          return null;
        }
        if (!dc.isData()) {
          continue;
        }
        if (!position.follows(last, index)) {
          dc.rollbackOnClose();
          return "entry " + hex(index) + " does not follow " + hex(last);
        }
        JournalEntry entry;
        try {
          entry = JournalCodec.read(dc.wire().bytes(), index);
        } catch (CorruptEntryException e) {
          stats.damaged();
          log.error("{}; skipping it", e.getMessage());
          entry = new DamagedEntry(index, e.getMessage());
        }
        batch.add(entry);
        last = index;
      }
    }
    return null;
  }

  /**
   * The first problem since the last entry handed on re-positions after it (Chronicle's view of the
   * directory may be stale); a second one means the expected entry cannot be read: repair.
   */
  private void recover(ExcerptTailer tailer, String problem) {
    assert Thread.currentThread() == thread : "repairs run on the reader thread";
    queue.refreshDirectoryListing();
    if (++problems <= REPOSITIONS) {
      if (problems == 1) {
        log.warn("Journal reader re-positions after entry {}: {}", hex(last), problem);
      } else {
        LockSupport.parkNanos(this, REPOSITION_PARK_NANOS); // files may be on their way back
        // A tailer keeps the store and cycle it was in: after files went and came back it can go
        // on missing the first of them. A new one starts from the refreshed directory listing.
        this.tailer.close();
        this.tailer = queue.createTailer();
        tailer = this.tailer;
      }
      position.positionAfter(tailer, last);
      return;
    }
    long missing = position.expectedAfter(last);
    if (missing == NONE) {
      position.positionAfter(tailer, last); // nothing left to read after all (files went meanwhile)
      problems = 0;
      return;
    }
    int cycle = roll.toCycle(missing);
    if (cycle >= queue.cycle()) {
      // The writer may still append to this file: moving it now would strand those appends.
      if (!waitingLogged) {
        waitingLogged = true;
        log.error(
            "Journal entry {} cannot be read ({}); its file is repaired once the writer has moved"
                + " on to its next file",
            hex(missing),
            problem);
      }
      LockSupport.parkNanos(this, RETRY_PARK_NANOS);
      position.positionAfter(tailer, last);
      return;
    }
    try {
      repair.repair(cycle, missing, last, problem);
    } catch (IOException e) {
      log.error(
          "Repairing journal file of cycle {} failed; retrying in 1s: {}", cycle, e.toString());
      LockSupport.parkNanos(this, RETRY_PARK_NANOS);
      return;
    }
    queue.refreshDirectoryListing();
    position.positionAfter(tailer, last);
    problems = 0;
  }

  /** Stops the reader thread and waits for it. Blocking. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
