package io.edgegate.gateway.journal;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
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
 */
public final class JournalReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JournalReader.class);
  private static final int MAX_BATCH = 512;
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final ChronicleQueue queue;
  private final JournalWriter writer;
  private final long resumeAfter;
  private final Context context;
  private final Handler<List<JournalEntry>> sink;
  private final JournalStats stats;
  private final AtomicLong demand = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  JournalReader(
      ChronicleQueue queue,
      JournalWriter writer,
      long resumeAfter,
      Context context,
      Handler<List<JournalEntry>> sink,
      JournalStats stats) {
    this.queue = queue;
    this.writer = writer;
    this.resumeAfter = resumeAfter;
    this.context = context;
    this.sink = sink;
    this.stats = stats;
    this.thread = new Thread(this::run, "edgegate-journal-reader");
    this.thread.setDaemon(true);
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

  private void run() {
    try (ExcerptTailer tailer = queue.createTailer()) {
      position(tailer);
      while (running) {
        long wanted = Math.min(demand.get(), MAX_BATCH);
        if (wanted <= 0) {
          LockSupport.park(this);
          continue;
        }
        List<JournalEntry> batch;
        try {
          batch = read(tailer, (int) wanted);
        } catch (Exception e) {
          // Survive one bad read: report it and try again shortly rather than die silently.
          log.error("Reading the journal failed; retrying in 1s", e);
          LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
          continue;
        }
        if (batch.isEmpty()) {
          LockSupport.parkNanos(this, IDLE_PARK_NANOS);
          continue;
        }
        demand.addAndGet(-batch.size());
        context.runOnContext(v -> sink.handle(batch));
      }
    }
  }

  private List<JournalEntry> read(ExcerptTailer tailer, int wanted) {
    long limit = writer.publishedIndex();
    List<JournalEntry> batch = new ArrayList<>(wanted);
    while (batch.size() < wanted) {
      try (DocumentContext dc = tailer.readingDocument()) {
        if (!dc.isPresent()) {
          break;
        }
        long index = dc.index();
        if (index > limit) {
          dc.rollbackOnClose(); // not durable yet: read it again once published
          break;
        }
        if (!dc.isData()) {
          continue;
        }
        try {
          batch.add(JournalCodec.read(dc.wire().bytes(), index));
        } catch (CorruptEntryException e) {
          stats.damaged();
          log.error("{}; skipping it", e.getMessage());
          batch.add(new DamagedEntry(index, e.getMessage()));
        }
      }
    }
    return batch;
  }

  /** Moves the tailer to the first entry after the checkpoint. */
  private void position(ExcerptTailer tailer) {
    if (resumeAfter == Checkpoint.NONE) {
      tailer.toStart();
      return;
    }
    if (tailer.moveToIndex(resumeAfter)) {
      try (DocumentContext dc = tailer.readingDocument()) {
        // consume the checkpointed entry itself: it is forwarded
      }
    } else {
      // Its file was deleted by retention, so everything left is newer; skip defensively anyway.
      tailer.toStart();
      while (true) {
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent() || dc.index() > resumeAfter) {
            dc.rollbackOnClose();
            break;
          }
        }
      }
    }
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
