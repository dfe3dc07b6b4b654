package io.edgegate.gateway.journal;

import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.thread.Confinement;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class JournalWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);
  private static final int MAX_BATCH = 1024;
  // Parked with nothing to do, the writer still looks at the queue this often (closing is also
  // signalled by an unpark; this only bounds the cost of a missed one).
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  // writer thread only: when the last fsync started (journal.syncMinInterval counts from it)
  private long lastSyncStart = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

  private final SingleChronicleQueue queue;
  private final JournalConfig config;
  // Any thread offers, the writer thread drains (multi-producer, single-consumer).
  private final MessagePassingQueue<Request> requests = new MpscUnboundedXaddArrayQueue<>(256);
  private final AtomicLong pendingBytes = new AtomicLong();
  private final long highWatermark;
  private final long hardLimit;
  private final Thread thread;
  private final JournalStats stats;
  private volatile long publishedIndex;
  private volatile Runnable onPublished = () -> {};
  private volatile Runnable onLowWatermark = () -> {};
  private volatile boolean closing;
  private volatile boolean parked; // the writer waits for appends: an append must unpark it
  private volatile Syncer syncer = Runnable::run;
  private volatile Throwable lastFailure;
  private volatile String refusing; // why new events are refused (disk limit), or null
  private ExcerptAppender appender; // writer thread only
  private final List<Request> batch = new ArrayList<>(MAX_BATCH); // writer thread only
  private final MessagePassingQueue.Consumer<Request> toBatch = batch::add;
  private final Runnable fsync = () -> appender().sync();

  JournalWriter(SingleChronicleQueue queue, JournalConfig config, JournalStats stats) {
    this.queue = queue;
    this.config = config;
    this.stats = stats;
    this.highWatermark = config.maxPendingBytes;
    this.hardLimit = 2 * config.maxPendingBytes;
    this.publishedIndex = queue.lastIndex();
    this.thread = new Thread(this::run, "edgegate-journal-writer");
    this.thread.setDaemon(true);
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
    this.onLowWatermark = listener;
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
    String full = refusing;
    if (full != null) {
      stats.refusedFull();
      then.done(-1, new JournalFullException(full));
      return;
    }
    long pending = pendingBytes.addAndGet(weight);
    if (pending > hardLimit) {
      pendingBytes.addAndGet(-weight);
      stats.refusedFull();
      then.done(-1, new JournalFullException(weight, pending - weight, hardLimit));
      return;
    }
    requests.offer(new Request(event, weight, context, then));
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
    return refusing != null || pendingOverHighWatermark();
  }

  /** True while the events waiting for the journal exceed {@code journal.maxPendingBytes}. */
  public boolean pendingOverHighWatermark() {
    return pendingBytes.get() > highWatermark;
  }

  /** Refuses new events until {@link #acceptAgain()} (the disk limit was reached). Any thread. */
  void refuse(String why) {
    if (refusing == null) {
      log.warn("Journal refuses new events: {}", why);
    }
    refusing = why;
  }

  /** Takes new events again and lets paused devices resume. Any thread. */
  void acceptAgain() {
    if (refusing != null) {
      refusing = null;
      log.info("Journal takes new events again");
      onLowWatermark.run();
    }
  }

  /** Why new events are refused, or null. */
  public String refusing() {
    return refusing;
  }

  /**
   * Bytes of events accepted whose outcome (durable, or failed) has not yet been delivered on their
   * caller's context.
   */
  public long pendingBytes() {
    return pendingBytes.get();
  }

  /** The newest index readers may see: appended and, unless {@code sync: none}, synced. */
  long publishedIndex() {
    return publishedIndex;
  }

  /** The last append or sync failure, or null when the last one succeeded. */
  public Throwable lastFailure() {
    return lastFailure;
  }

  private void run() {
    List<Request> unsynced = new ArrayList<>();
    long unsyncedBytes = 0;
    long groupStart = 0;
    try {
      while (true) {
        int drained = requests.drain(toBatch, MAX_BATCH);
        if (drained > 0) {
          List<Request> appended = appendAll(batch);
          batch.clear();
          if (config.sync == JournalConfig.Sync.NONE) {
            publish(appended);
          } else if (!appended.isEmpty()) {
            if (unsynced.isEmpty()) {
              groupStart = System.nanoTime();
            }
            unsynced.addAll(appended);
            for (Request r : appended) {
              unsyncedBytes += r.weight;
            }
          }
        }
        if (!unsynced.isEmpty() && syncDue(unsyncedBytes, groupStart)) {
          syncThenPublish(unsynced);
          unsynced.clear();
          unsyncedBytes = 0;
          continue; // what arrived during the fsync is the next group
        }
        if (drained > 0) {
          continue;
        }
        if (!unsynced.isEmpty()) {
          // Caught up, but the previous fsync started less than syncMinInterval ago: wait for
          // that (or for an append) instead of spinning.
          long wait = lastSyncStart + config.syncMinInterval.toNanos() - System.nanoTime();
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
      if (appender != null) {
        appender.close();
      }
    }
  }

  /**
   * Whether the group appended so far is synced now. {@code batch}: once the writer has caught up
   * (no append waits), so that a group holds what arrived during the previous fsync and no timer
   * holds an acknowledgement back; a group that keeps growing is closed at {@code syncBytes} or
   * after {@code syncInterval}. {@code always}: after every drained batch.
   */
  private boolean syncDue(long unsyncedBytes, long groupStart) {
    assert Confinement.onThread(thread);
    return config.sync == JournalConfig.Sync.ALWAYS
        || closing
        || (requests.isEmpty()
            && System.nanoTime() - lastSyncStart >= config.syncMinInterval.toNanos())
        || unsyncedBytes >= config.syncBytes
        || System.nanoTime() - groupStart >= config.syncInterval.toNanos();
  }

  /** Appends each request; returns those that succeeded (the others are failed here). */
  private List<Request> appendAll(List<Request> batch) {
    assert Thread.currentThread() == thread : "the appender belongs to the writer thread";
    List<Request> ok = new ArrayList<>(batch.size());
    List<Request> failed = null;
    for (Request r : batch) {
      long start = System.nanoTime();
      try {
        DocumentContext dc = appender().writingDocument();
        try {
          JournalCodec.write(dc.wire().bytes(), r.event);
        } catch (Throwable e) {
          dc.rollbackOnClose();
          throw e;
        } finally {
          dc.close();
        }
        r.index = appender.lastIndexAppended();
        stats.appended(r.weight, System.nanoTime() - start);
        ok.add(r);
      } catch (Throwable e) {
        // Chronicle rethrows checked I/O exceptions unchecked (e.g. FileNotFoundException when the
        // next cycle file cannot be created): catch everything, fail this event, keep the thread.
        if (failed == null) {
          failed = new ArrayList<>();
        }
        r.failure = new JournalUnavailableException("journal append failed: " + e, e);
        failed.add(r);
        noteFailure(e, "append");
        replaceAppender();
      }
    }
    if (failed != null) {
      complete(failed);
    } else if (!ok.isEmpty()) {
      recovered();
    }
    return ok;
  }

  private void syncThenPublish(List<Request> unsynced) {
    assert Confinement.onThread(thread);
    long start = System.nanoTime();
    lastSyncStart = start;
    try {
      syncer.sync(fsync);
      stats.synced(System.nanoTime() - start);
      publish(unsynced);
    } catch (Throwable e) {
      // The entries are in the journal and will be forwarded, but their devices are not told
      // they are safe: they send again, and Kafka may see both copies (at-least-once).
      noteFailure(e, "sync");
      JournalUnavailableException failure =
          new JournalUnavailableException("journal sync failed: " + e, e);
      for (Request r : unsynced) {
        r.failure = failure;
      }
      publishedIndex = queue.lastIndex();
      complete(unsynced);
    }
  }

  private void publish(List<Request> done) {
    assert Confinement.onThread(thread);
    if (done.isEmpty()) {
      return;
    }
    publishedIndex = done.get(done.size() - 1).index;
    onPublished.run();
    complete(done);
  }

  /**
   * Completes requests on their contexts: one task per context, in append order. Their bytes stay
   * counted until that task runs: until then the events are still in memory, queued on a busy event
   * loop. (Released here instead, a flood of QoS 0 publishes kept the budget free while completions
   * piled up behind the reads, and the heap ran out.)
   */
  private void complete(List<Request> done) {
    Map<Context, List<Request>> byContext = new IdentityHashMap<>(4);
    for (Request r : done) {
      byContext.computeIfAbsent(r.context, c -> new ArrayList<>()).add(r);
    }
    byContext.forEach(
        (context, list) -> {
          long weight = 0;
          for (Request r : list) {
            weight += r.weight;
          }
          long released = weight;
          context.runOnContext(
              v -> {
                // Release before anyone hears of the outcome: whoever reacts to a completion sees
                // the journal's memory as it now is.
                release(released);
                AssertionError broken = null;
                for (Request r : list) {
                  try {
                    r.then.done(r.failure == null ? r.index : -1, r.failure);
                  } catch (RuntimeException e) {
                    // One failing listener must not keep the outcome from the others.
                    log.error("Journal append listener failed", e);
                  } catch (AssertionError e) {
                    broken = broken == null ? e : broken; // the others first, then report it
                  }
                }
                if (broken != null) {
                  throw broken;
                }
              });
        });
  }

  private void release(long bytes) {
    long before = pendingBytes.getAndAdd(-bytes);
    long after = before - bytes;
    if (before > highWatermark / 2 && after <= highWatermark / 2) {
      onLowWatermark.run();
    }
  }

  /**
   * After a failed append (e.g. the next cycle file could not be created) Chronicle's appender may
   * be left pointing at the previous file: take a fresh one, so that the next append tries again
   * from a clean state.
   */
  private void replaceAppender() {
    assert Confinement.onThread(thread);
    ExcerptAppender failed = appender;
    appender = null;
    LeakedWriteLock.release(queue);
    if (failed != null) {
      try {
        failed.close();
      } catch (Throwable e) {
        log.debug("Closing a failed journal appender: {}", e.toString());
      }
    }
  }

  private ExcerptAppender appender() {
    assert Confinement.onThread(thread);
    if (appender == null) {
      appender = queue.createAppender();
    }
    return appender;
  }

  private void recovered() {
    assert Confinement.onThread(thread);
    if (lastFailure != null) {
      lastFailure = null;
      log.info("Journal appends work again");
    }
  }

  private void noteFailure(Throwable e, String what) {
    Throwable previous = lastFailure;
    lastFailure = e;
    stats.failed();
    if (previous == null) {
      log.error("Journal {} failed; devices are not acknowledged until it works again", what, e);
    }
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
    List<Request> left = new ArrayList<>();
    requests.drain(left::add);
    JournalUnavailableException closed = new JournalUnavailableException("journal is closed", null);
    for (Request r : left) {
      r.failure = closed;
    }
    complete(left);
  }

  private static final class Request {
    final JournalEvent event;
    final int weight;
    final Context context;
    final Appended then;
    long index;
    Throwable failure;

    Request(JournalEvent event, int weight, Context context, Appended then) {
      this.event = event;
      this.weight = weight;
      this.context = context;
      this.then = then;
    }
  }
}
