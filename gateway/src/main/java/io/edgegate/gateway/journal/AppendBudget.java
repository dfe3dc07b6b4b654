package io.edgegate.gateway.journal;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the journal may still take: the bytes of events accepted and not yet given their outcome,
 * against {@code journal.maxPendingBytes}, and the disk limit's refusal. Above the limit {@link
 * #overHighWatermark()} turns true and the ingest pauses its sockets; the low-watermark listener
 * runs once the backlog is below half of it. At twice the limit an append is refused.
 *
 * <p>Threads: <b>any thread</b> (an atomic counter and volatile fields, no lock): appends reserve
 * on their event loops, completions release on theirs, housekeeping refuses on its own thread.
 */
final class AppendBudget {
  private static final Logger log = LoggerFactory.getLogger(AppendBudget.class);

  private final AtomicLong pendingBytes = new AtomicLong();
  private final long highWatermark;
  private final long hardLimit;
  private final JournalStats stats;
  private volatile Runnable onLowWatermark = () -> {};
  private volatile String refusing; // why new events are refused (disk limit), or null

  AppendBudget(long maxPendingBytes, JournalStats stats) {
    this.highWatermark = maxPendingBytes;
    this.hardLimit = 2 * maxPendingBytes;
    this.stats = stats;
  }

  /** See {@link JournalWriter#onLowWatermark}. */
  void onLowWatermark(Runnable listener) {
    this.onLowWatermark = listener;
  }

  /**
   * Counts {@code weight} more bytes pending and returns null, or, refused (disk limit, or twice
   * the memory limit), counts nothing and returns why.
   */
  JournalFullException reserve(int weight) {
    String full = refusing;
    if (full != null) {
      stats.refusedFull();
      return new JournalFullException(full);
    }
    long pending = pendingBytes.addAndGet(weight);
    if (pending > hardLimit) {
      pendingBytes.addAndGet(-weight);
      stats.refusedFull();
      return new JournalFullException(weight, pending - weight, hardLimit);
    }
    return null;
  }

  /** {@code bytes} reserved have their outcome delivered; may run the low-watermark listener. */
  void release(long bytes) {
    long before = pendingBytes.getAndAdd(-bytes);
    long after = before - bytes;
    if (before > highWatermark / 2 && after <= highWatermark / 2) {
      onLowWatermark.run();
    }
  }

  /** See {@link JournalWriter#overHighWatermark}. */
  boolean overHighWatermark() {
    return refusing != null || pendingOverHighWatermark();
  }

  /** See {@link JournalWriter#pendingOverHighWatermark}. */
  boolean pendingOverHighWatermark() {
    return pendingBytes.get() > highWatermark;
  }

  /** Refuses new events until {@link #acceptAgain()} (the disk limit was reached). */
  void refuse(String why) {
    if (refusing == null) {
      log.warn("Journal refuses new events: {}", why);
    }
    refusing = why;
  }

  /** Takes new events again and lets paused devices resume. */
  void acceptAgain() {
    if (refusing != null) {
      refusing = null;
      log.info("Journal takes new events again");
      onLowWatermark.run();
    }
  }

  /** Why new events are refused, or null. */
  String refusing() {
    return refusing;
  }

  /** See {@link JournalWriter#pendingBytes}. */
  long pendingBytes() {
    return pendingBytes.get();
  }
}
