package io.edgegate.gateway.journal;

import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.thread.Confinement;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * Appends events to the journal on one dedicated thread, {@code edgegate-journal-writer}, which
 * alone owns the Chronicle appender (an appender is not thread-safe, and appending may create a
 * file or fsync: neither belongs on an event loop).
 *
 * <p>{@link #append} is called on a Vert.x context (an ingest event loop). Its outcome is delivered
 * on that context, in append order, once the event is durable as {@code journal.sync} defines it:
 * this is the moment a QoS 1/2 acknowledgement may go out. Completions are grouped per context, so
 * a batch of appends costs one task per event loop, not one per event.
 *
 * <p>Hand-off: appends go through a lock-free multi-producer queue; the writer parks only when it
 * has nothing to do, and an append wakes it only then, so under load an append costs a queue offer,
 * not a lock and a wake-up.
 *
 * <p>Group commit ({@code sync: batch}) follows the load: the writer appends what is queued and,
 * once it has caught up (nothing more queued), fsyncs at once. What arrives during an fsync forms
 * the next group, synced as soon as the previous fsync returned. A group that keeps growing because
 * appends keep coming is closed after {@code journal.syncInterval} or {@code journal.syncBytes}, so
 * no event waits longer than that (plus the fsync) for its acknowledgement. With {@code sync:
 * always} every drained batch is fsynced before the next is appended.
 *
 * <p>Memory: events waiting to be appended (or synced) are counted in bytes. Above {@code
 * journal.maxPendingBytes} {@link #overHighWatermark()} turns true and the ingest pauses its
 * sockets; {@code onLowWatermark} runs (on the writer thread) once the backlog is below half of it.
 * At twice the limit an append is refused with {@link JournalFullException}.
 *
 * <p>Parts: the memory budget and disk-limit refusal ({@link AppendBudget}), the appender and the
 * encoding of entries ({@link EntryAppender}), the group being synced ({@link SyncGroup}), the
 * delivery of outcomes ({@link Completions}). What stays here is the hand-off and the writer's
 * loop.
 */
public final class JournalWriter implements AutoCloseable {
  private static final int MAX_BATCH = 1024;
  // Parked with nothing to do, the writer still looks at the queue this often (closing is also
  // signalled by an unpark; this only bounds the cost of a missed one).
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final SingleChronicleQueue queue;
  private final JournalConfig config;
  // Any thread offers, the writer thread drains (multi-producer, single-consumer).
  private final MessagePassingQueue<AppendRequest> requests =
      new MpscUnboundedXaddArrayQueue<>(256);
  private final AppendBudget budget;
  private final Completions completions;
  private final Thread thread;
  private final EntryAppender appender; // writer thread only
  private final SyncGroup group; // writer thread only
  private final JournalStats stats;
  private volatile long publishedIndex;
  private volatile Runnable onPublished = () -> {};
  private volatile boolean closing;
  private volatile boolean parked; // the writer waits for appends: an append must unpark it
  private volatile Syncer syncer = Runnable::run;
  private final List<AppendRequest> batch = new ArrayList<>(MAX_BATCH); // writer thread only
  private final MessagePassingQueue.Consumer<AppendRequest> toBatch = batch::add;
  private final Runnable fsync;

  JournalWriter(SingleChronicleQueue queue, JournalConfig config, JournalStats stats) {
    this.queue = queue;
    this.config = config;
    this.stats = stats;
    this.budget = new AppendBudget(config.maxPendingBytes, stats);
    this.completions = new Completions(budget);
    this.publishedIndex = queue.lastIndex();
    this.thread = new Thread(this::run, "edgegate-journal-writer");
    this.thread.setDaemon(true);
    this.appender = new EntryAppender(queue, stats, completions, thread);
    this.group = new SyncGroup(config, thread);
    this.fsync = appender::sync;
  }

  void start() {
    thread.start();
  }

  /** Called (on the writer thread) each time new entries become visible to readers. */
  void onPublished(Runnable listener) {
    this.onPublished = listener;
  }

  /**
   * Called when the pending backlog falls below half the limit, on the event loop whose completions
   * released it (any thread: the listener must be thread-safe).
   */
  public void onLowWatermark(Runnable listener) {
    budget.onLowWatermark(listener);
  }

  /** How a group of appended entries is made durable; tests hold or fail it. */
  @FunctionalInterface
  public interface Syncer {
    /**
     * Runs {@code fsync}, which makes every entry appended so far durable, on the writer thread.
     * Returning normally means durable; a throw fails the group's events (not acknowledged).
     */
    void sync(Runnable fsync);
  }

  /** The outcome of one append, delivered on the context that called {@link #append}. */
  @FunctionalInterface
  public interface Appended {
    /** {@code failure} is null when the event is durable at {@code index}. */
    void done(long index, Throwable failure);
  }

  /** Replaces how groups are synced (a seam for tests; the default fsyncs). Any thread. */
  public void syncer(Syncer syncer) {
    this.syncer = syncer;
  }

  /**
   * Queues {@code event} for appending. Must be called on a Vert.x context; the future completes
   * there with the event's journal index once it is durable, or fails with {@link
   * JournalFullException} or {@link JournalUnavailableException}.
   */
  public Future<Long> append(JournalEvent event) {
    Promise<Long> promise = Promise.promise();
    append(
        event,
        (index, failure) -> {
          if (failure == null) {
            promise.complete(index);
          } else {
            promise.fail(failure);
          }
        });
    return promise.future();
  }

  /**
   * Like {@link #append(JournalEvent)} without a future: {@code then} runs on the calling context
   * once the event is durable or failed. A refusal (journal full or closed) runs it before this
   * method returns.
   */
  public void append(JournalEvent event, Appended then) {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("append must be called on a Vert.x context");
    }
    int weight = event.weight();
    if (closing) {
      then.done(-1, new JournalUnavailableException("journal is closed", null));
      return;
    }
    JournalFullException full = budget.reserve(weight);
    if (full != null) {
      then.done(-1, full);
      return;
    }
    requests.offer(new AppendRequest(event, weight, context, then));
    // The writer sets parked before it looks at the queue a last time; both are volatile, so
    // either it sees this request or this sees it parked.
    if (parked) {
      LockSupport.unpark(thread);
    }
  }

  /**
   * True while the journal takes no more: the events waiting for it exceed {@code
   * journal.maxPendingBytes}, or it is at its disk limit.
   */
  public boolean overHighWatermark() {
    return budget.overHighWatermark();
  }

  /** True while the events waiting for the journal exceed {@code journal.maxPendingBytes}. */
  public boolean pendingOverHighWatermark() {
    return budget.pendingOverHighWatermark();
  }

  /** Refuses new events until {@link #acceptAgain()} (the disk limit was reached). Any thread. */
  void refuse(String why) {
    budget.refuse(why);
  }

  /** Takes new events again and lets paused devices resume. Any thread. */
  void acceptAgain() {
    budget.acceptAgain();
  }

  /** Why new events are refused, or null. */
  public String refusing() {
    return budget.refusing();
  }

  /**
   * Bytes of events accepted whose outcome (durable, or failed) has not yet been delivered on their
   * caller's context.
   */
  public long pendingBytes() {
    return budget.pendingBytes();
  }

  /** The newest index readers may see: appended and, unless {@code sync: none}, synced. */
  long publishedIndex() {
    return publishedIndex;
  }

  /** The last append or sync failure, or null when the last one succeeded. */
  public Throwable lastFailure() {
    return appender.lastFailure();
  }

  private void run() {
    try {
      while (true) {
        int drained = requests.drain(toBatch, MAX_BATCH);
        if (drained > 0) {
          List<AppendRequest> appended = appender.appendAll(batch);
          batch.clear();
          if (config.sync == JournalConfig.Sync.NONE) {
            publish(appended);
          } else if (!appended.isEmpty()) {
            group.add(appended);
          }
        }
        if (!group.isEmpty() && group.due(requests, closing)) {
          syncThenPublish();
          group.clear();
          continue; // what arrived during the fsync is the next group
        }
        if (drained > 0) {
          continue;
        }
        if (!group.isEmpty()) {
          // Caught up, but the previous fsync started less than syncMinInterval ago: wait for
          // that (or for an append) instead of spinning.
          long wait = group.minIntervalLeftNanos();
          if (wait > 0) {
            parked = true;
            if (requests.isEmpty() && !closing) {
              LockSupport.parkNanos(this, wait);
            }
            parked = false;
          }
          continue;
        }
        if (closing) {
          if (requests.isEmpty()) {
            return;
          }
          continue;
        }
        parked = true;
        if (requests.isEmpty() && !closing) {
          LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        }
        parked = false;
      }
    } finally {
      appender.close();
    }
  }

  private void syncThenPublish() {
    assert Confinement.onThread(thread);
    long start = System.nanoTime();
    List<AppendRequest> unsynced = group.syncStarts(start);
    try {
      syncer.sync(fsync);
      stats.synced(System.nanoTime() - start);
      publish(unsynced);
    } catch (Throwable e) {
      // The entries are in the journal and will be forwarded, but their devices are not told
      // they are safe: they send again, and Kafka may see both copies (at-least-once).
      appender.noteFailure(e, "sync");
      JournalUnavailableException failure =
          new JournalUnavailableException("journal sync failed: " + e, e);
      for (AppendRequest r : unsynced) {
        r.failure = failure;
      }
      publishedIndex = queue.lastIndex();
      completions.complete(unsynced);
    }
  }

  private void publish(List<AppendRequest> done) {
    assert Confinement.onThread(thread);
    if (done.isEmpty()) {
      return;
    }
    publishedIndex = done.get(done.size() - 1).index;
    onPublished.run();
    completions.complete(done);
  }

  /** Appends and syncs what is queued, then stops; later appends fail. Blocking. */
  @Override
  public void close() {
    closing = true;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<AppendRequest> left = new ArrayList<>();
    requests.drain(left::add);
    JournalUnavailableException closed = new JournalUnavailableException("journal is closed", null);
    for (AppendRequest r : left) {
      r.failure = closed;
    }
    completions.complete(left);
  }
}
