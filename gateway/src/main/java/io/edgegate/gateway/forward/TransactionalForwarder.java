package io.edgegate.gateway.forward;

import io.edgegate.gateway.journal.Checkpoint;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Exactly-once delivery ({@code forward.delivery: exactly-once}). Its state is <b>confined to the
 * pipeline's event loop</b> (asserted); every producer call (connect, begin, the sends, commit,
 * abort) runs on the sender thread {@code edgegate-forward-sender}, one task per transaction, and
 * the outcome comes back to the loop as one task per transaction: no hand-off per record.
 *
 * <p>Events go to Kafka in transactions of up to {@code forward.transactionMaxEvents}, one after
 * the other, in journal order. Each transaction also writes the index of its last journal entry to
 * the compacted offsets topic ({@link CommittedPosition}), so "these events are in Kafka" and "the
 * journal is forwarded up to here" commit together, or not at all (KIP-618 does the same for Kafka
 * Connect sources). A consumer reading with {@code isolation.level=read_committed} sees each event
 * once.
 *
 * <p>Failures: a record Kafka refuses for good is swapped for its dead-letter record and the
 * transaction is aborted and sent again. Anything else (Kafka away, a commit that timed out) closes
 * the producer; after a backoff a new one with the same {@code transactional.id} fences the old one
 * (Kafka completes or aborts the transaction it left), the committed position is read back, events
 * up to it are settled, and the rest are sent again. The same happens at start, which is how a
 * restarted gateway resumes exactly after the last committed event, whatever its local checkpoint
 * says.
 *
 * <p>Expiry: an event whose MQTT 5 Message Expiry Interval has run out when its transaction begins
 * is left out of it (counted); the position the transaction commits covers it all the same.
 *
 * <p>Parts: the producer calls ({@link TransactionCalls}), the backlog and checkpoint ({@link
 * Unsettled}), dead letters ({@link DeadLetters}), outage reporting ({@link Outage}). What stays
 * here (over 350 lines) is one state machine, connect, linger, transaction, commit or abort, fence
 * and resume, whose every step turns on {@code busy} and {@code closed} and must run in order on
 * the loop; and its factory from the gateway's settings.
 */
public final class TransactionalForwarder implements Forwarding {
  private final ForwardLoop loop;
  private final Executor closer;
  private final TransactionCalls calls;
  private final TransactionPosition position;
  private final String deadLetterTopic;
  private final int maxEvents;
  private final Duration maxDelay;
  private final Backoff backoff;
  private final ForwardStats stats;
  private final java.time.Clock clock;

  private final Unsettled pending; // journal order, uncommitted
  private final Executor sender;
  private Producer<String, byte[]> initial;
  // set on the loop, used on the sender thread (the hand-off orders the two)
  private Producer<String, byte[]> producer;
  private boolean busy = true; // a transaction or a reconnection is under way (connect first)
  private long lingerTimer = -1;
  private long retryTimer = -1;
  private boolean closed;
  private final StallWatch stalls;
  private final Outage outage;
  private long transactionStartedNanos;

  /**
   * @param loop where the state lives and the timers run
   * @param sender runs every producer call, one task at a time, in order, off the loop
   * @param closer runs the producer's close at the end, off the loop and off {@code sender}
   * @param initial a producer created for this forwarder (off the event loop), used first
   * @param producers makes replacement producers; blocking, called on the sender thread
   */
  TransactionalForwarder(
      ForwardLoop loop,
      Executor sender,
      Executor closer,
      Producer<String, byte[]> initial,
      Supplier<Producer<String, byte[]>> producers,
      TransactionPosition position,
      String deadLetterTopic,
      int maxEvents,
      Duration maxDelay,
      Backoff backoff,
      ForwardStats stats,
      java.time.Clock clock,
      LongConsumer onCommitted,
      Runnable onSpace) {
    this.loop = loop;
    this.sender = sender;
    this.closer = closer;
    this.clock = clock;
    this.initial = initial;
    this.calls = new TransactionCalls(loop, sender, producers, position);
    this.position = position;
    this.deadLetterTopic = deadLetterTopic;
    this.maxEvents = maxEvents;
    this.maxDelay = maxDelay;
    this.backoff = backoff;
    this.stats = stats;
    this.stalls = new StallWatch(loop, stats);
    this.outage =
        new Outage(
            loop,
            stats,
            "Exactly-once forwarding to Kafka failed ({}); holding events in the journal and"
                + " retrying",
            "Kafka takes transactions again");
    this.pending = new Unsettled(loop, onCommitted, onSpace);
  }

  /** Creates one from the gateway's settings. */
  public static TransactionalForwarder create(
      Vertx vertx,
      Producer<String, byte[]> initial,
      Supplier<Producer<String, byte[]>> producers,
      java.util.Map<String, Object> producerSettings,
      io.edgegate.gateway.config.GatewayConfig config,
      ForwardStats stats,
      java.time.Clock clock,
      LongConsumer onCommitted,
      Runnable onSpace) {
    CommittedPosition position =
        new CommittedPosition(
            config.kafka.offsetsTopic,
            config.gateway.id,
            producerSettings,
            config.forward.metadataTimeout.plusSeconds(5));
    return new TransactionalForwarder(
        new VertxForwardLoop(vertx.getOrCreateContext()),
        RecordSender.senderThread(),
        task ->
            vertx.executeBlocking(
                () -> {
                  task.run();
                  return null;
                }),
        initial,
        producers,
        position,
        config.kafka.deadLetterTopic,
        config.forward.transactionMaxEvents,
        config.forward.transactionMaxDelay,
        Backoff.jittered(
            config.forward.retryBackoff, config.forward.retryBackoffMax, new SplittableRandom()),
        stats,
        clock,
        onCommitted,
        onSpace);
  }

  /**
   * Connects (retrying with backoff until Kafka answers) and completes with the journal index
   * committed last, or {@link Checkpoint#NONE}: the pipeline starts reading after it.
   */
  public Future<Long> start() {
    Promise<Long> committed = Promise.promise();
    connect(committed);
    return committed.future();
  }

  private void connect(Promise<Long> done) {
    Producer<String, byte[]> old = producer;
    producer = null;
    Producer<String, byte[]> first = initial;
    initial = null;
    calls.connect(
        old,
        first,
        (result, error) -> {
          if (closed) {
            if (error == null) {
              Producer<String, byte[]> p = result.producer();
              closer.execute(() -> p.close(Duration.ZERO));
            }
            return;
          }
          if (error != null) {
            outage.down(error);
            retryTimer =
                loop.setTimer(
                    backoff.next(),
                    () -> {
                      retryTimer = -1;
                      connect(done);
                    });
            return;
          }
          long committed = result.committed();
          producer = result.producer();
          settleUpTo(committed);
          busy = false;
          done.tryComplete(committed);
          maybeCommitSoon();
        });
  }

  @Override
  public void offer(Outgoing o) {
    assert loop.inLoop();
    pending.add(o);
    maybeCommitSoon();
  }

  @Override
  public int bufferedEvents() {
    return pending.size();
  }

  @Override
  public long bufferedBytes() {
    return pending.bytes();
  }

  private void maybeCommitSoon() {
    if (busy || closed || pending.isEmpty()) {
      return;
    }
    if (pending.size() >= maxEvents || maxDelay.isZero()) {
      cancelLinger();
      transaction();
    } else if (lingerTimer == -1) {
      lingerTimer =
          loop.setTimer(
              maxDelay.toMillis(),
              () -> {
                lingerTimer = -1;
                if (!busy) {
                  transaction();
                }
              });
    }
  }

  private void cancelLinger() {
    if (lingerTimer != -1) {
      loop.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
  }

  /** Sends the next batch and the position after it in one transaction. */
  private void transaction() {
    if (busy || closed || pending.isEmpty()) {
      return;
    }
    busy = true;
    transactionStartedNanos = loop.nanoTime();
    List<Outgoing> batch = new ArrayList<>(Math.min(maxEvents, pending.size()));
    Iterator<Outgoing> it = pending.iterator();
    while (it.hasNext() && batch.size() < maxEvents) {
      batch.add(it.next());
    }
    long last = batch.get(batch.size() - 1).index;
    long now = clock.millis();
    for (Outgoing o : batch) {
      if (o.record != null && o.expiredAt(now)) {
        stats.expired();
        o.record = null; // settled by the commit of this batch's position, never sent
      }
    }
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(batch.size() + 1);
    for (Outgoing o : batch) {
      records.add(o.record); // null: nothing to send
    }
    records.add(position.record(last));
    Producer<String, byte[]> p = producer;
    // Kafka's thread writes each send's error; read on the sender thread after the commit (or
    // its failure), by which time every callback has run
    AtomicReferenceArray<Throwable> errors = new AtomicReferenceArray<>(records.size());
    calls.commit(
        p,
        records,
        errors,
        (failed, error) -> {
          if (closed) {
            return;
          }
          if (error == null && failed == null) {
            committed(batch, last);
            return;
          }
          for (int i = 0; i < batch.size(); i++) {
            Throwable e = errors.get(i);
            if (e != null && SendFailure.of(e).deadLetters()) {
              failed(new Refused(batch.get(i), e), failed != null && failed.aborted());
              return;
            }
          }
          failed(error != null ? error : failed.error(), false);
        });
  }

  /**
   * Reports Kafka unavailable while a transaction has waited longer than {@code after} to commit
   * (the producer retries some errors by itself, so no send fails meanwhile).
   */
  public void watchForStalls(Duration after) {
    stalls.start(after, () -> busy ? transactionStartedNanos : 0);
  }

  private void committed(List<Outgoing> batch, long last) {
    transactionStartedNanos = 0;
    stalls.answered();
    for (int i = 0; i < batch.size(); i++) {
      Outgoing o = pending.poll();
      if (o.record != null && !o.deadLettered) {
        stats.forwarded(o.receivedAtMillis);
      }
    }
    outage.up();
    backoff.reset();
    pending.settledUpTo(last);
    busy = false;
    maybeCommitSoon();
  }

  private void failed(Throwable error, boolean aborted) {
    assert loop.inLoop();
    if (error instanceof Refused r) {
      SendFailure kind = SendFailure.of(r.getCause());
      if (kind.deadLetters()) {
        if (!DeadLetters.swap(r.event, kind, r.getCause(), deadLetterTopic, stats)) {
          r.event.record = null;
        }
        // The transaction is in an abortable state: abort it and send the batch again.
        if (aborted) {
          busy = false;
          maybeCommitSoon();
          return;
        }
        calls.abort(
            producer,
            (ignored, e) -> {
              if (closed) {
                return;
              }
              if (e == null) {
                busy = false;
                maybeCommitSoon();
              } else {
                reconnectLater(e);
              }
            });
        return;
      }
      error = r.getCause();
    }
    reconnectLater(error);
  }

  /** Drops the producer and, after the backoff, fences it with a new one and resumes. */
  private void reconnectLater(Throwable error) {
    outage.down(error);
    stats.retried();
    retryTimer =
        loop.setTimer(
            backoff.next(),
            () -> {
              retryTimer = -1;
              connect(Promise.promise());
            });
  }

  /** Events up to {@code committed} are in Kafka (a commit whose answer was lost): settle them. */
  private void settleUpTo(long committed) {
    if (committed == Checkpoint.NONE) {
      return;
    }
    long last = Checkpoint.NONE;
    while (!pending.isEmpty() && pending.peek().index <= committed) {
      Outgoing o = pending.poll();
      last = o.index;
      if (o.record != null && !o.deadLettered) {
        stats.forwarded(o.receivedAtMillis);
      }
    }
    if (last != Checkpoint.NONE) {
      pending.settledUpTo(last);
    }
  }

  @Override
  public Future<Void> close(Duration timeout) {
    closed = true;
    cancelLinger();
    stalls.stop();
    if (retryTimer != -1) {
      loop.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    Producer<String, byte[]> p = producer;
    Promise<Void> done = Promise.promise();
    // Not on the sender thread: a commit blocked there (Kafka away) must not hold the close up;
    // closing the producer ends that commit too. An open transaction is aborted; its events are
    // sent again after the restart.
    closer.execute(
        () -> {
          if (p != null) {
            p.close(timeout);
          }
          if (sender instanceof ExecutorService pool) {
            pool.shutdown();
          }
          loop.execute(done::complete);
        });
    return done.future();
  }

  /** A send of {@code event} failed with the cause. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Outgoing event;

    Refused(Outgoing event, Throwable cause) {
      super(cause);
      this.event = event;
    }
  }
}
