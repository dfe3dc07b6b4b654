package io.edgegate.gateway.forward;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records to Kafka in journal order and reports the journal prefix Kafka has acknowledged.
 *
 * <p>Threads. The state below is <b>confined to the forward loop</b> (the pipeline's event loop in
 * the gateway; asserted): offers, answers, timers and the checkpoint all run there. The loop never
 * calls the producer: each pass of the loop hands the records it may send as one run to {@link
 * RecordSender}'s thread, which calls {@code Producer.send} for each, in order (a send may block on
 * metadata). Kafka's answers come back in batches: one loop task takes every answer queued by then,
 * settles them, moves the checkpoint once and sends what the freed budget allows. So a batch of the
 * journal costs two hand-offs, not two per record.
 *
 * <p>Order without loss. The producer is idempotent with an unlimited delivery timeout, so a record
 * that entered its buffer is retried by the producer until Kafka takes it, in order per partition.
 * A send can still fail before entering the buffer (a metadata wait that times out while the broker
 * is away); records queued behind it could then overtake it. {@link GatedProducer} stops that:
 * after the first retriable failure every queued send fails at once. The forwarder then waits until
 * nothing is in flight, backs off, opens the gate and re-sends every unsettled record in journal
 * order, the first one alone as a <em>probe</em> (so an absent Kafka costs one send per backoff,
 * not thousands). The first record to a topic not yet proven is a probe too.
 *
 * <p>A sequence error that does not clear ({@link OutOfOrderSequenceException} again in the round
 * of re-sends after one) means the idempotent producer's state for a partition is broken and will
 * not mend: like fencing, the producer is closed and a new one opened (a new producer id), and the
 * unsettled records are re-sent from the first, in order. Kafka counts as unavailable until one is
 * acknowledged.
 *
 * <p>Poison records (too large, invalid topic, not authorised: {@link SendFailure}) go to the
 * dead-letter topic with the reason in headers; if Kafka refuses that too, the event is counted as
 * dropped and logged with its journal index (it stays in the journal for replay). Never an endless
 * retry for one record.
 *
 * <p>Expiry: an event whose MQTT 5 Message Expiry Interval has run out when its turn to be sent
 * comes (also a re-send after an outage) is not sent, counted, and settled like a sent one, so the
 * checkpoint moves past it. A record already handed to the producer is the producer's: it delivers
 * it whenever Kafka takes it.
 *
 * <p>Memory: everything accepted and not settled is held in {@link #bufferedEvents()} / {@link
 * #bufferedBytes()}; the pipeline offers more only while those are under budget. Records handed to
 * the producer and not answered are at most {@code forward.maxInFlightBytes} (key, value and header
 * bytes; at least one record, {@link InFlight}); above it sending waits for answers.
 *
 * <p>Parts: the backlog and checkpoint ({@link Unsettled}), the in-flight budget ({@link
 * InFlight}), dead letters ({@link DeadLetters}), outage reporting ({@link Outage}). What stays
 * here (over 350 lines) is one state machine, send, fail, wait for quiet, back off, probe, re-send
 * or replace the producer, whose every step reads the same few flags and must see them change in
 * order on the loop.
 */
public final class Forwarder implements Forwarding {
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

  private final ForwardLoop loop;
  private final RecordSender sender;
  private final Supplier<Producer<String, byte[]>> producers;
  private final String deadLetterTopic;
  private final Backoff backoff;
  private final ForwardStats stats;
  private final Clock clock;
  private final StallWatch stalls;
  private final Outage outage;

  // accepted and not yet settled, in journal order: the head decides the checkpoint
  private final Unsettled pending;
  // accepted and not in flight, in journal order
  private final ArrayDeque<Outgoing> toSend = new ArrayDeque<>();
  private final InFlight inFlight;
  private final Set<String> provenTopics = new HashSet<>();
  private Outgoing probe;
  private boolean probeNext;
  private boolean recovering;
  private long retryTimer = -1;
  private boolean closed;
  private int round; // re-send rounds since the start
  private int sequenceErrorRound = -1; // round of the last sequence error since a success
  private boolean replaceProducer;

  /**
   * @param loop where this forwarder's state lives and its timers run
   * @param producer the native producer; closed by {@link #close}
   * @param senderThread runs the sends, in order, off the loop ({@link #senderThread()})
   * @param producers makes a replacement producer (blocking; called on the sender thread), or null
   *     if the producer is never replaced
   * @param clock what event expiry deadlines are compared with (the ingest's clock)
   * @param onCommitted the last journal index of the settled prefix, called on the loop
   * @param onSpace called on the loop after events were settled (budget was freed)
   */
  public Forwarder(
      ForwardLoop loop,
      Producer<String, byte[]> producer,
      Executor senderThread,
      Supplier<Producer<String, byte[]>> producers,
      String deadLetterTopic,
      Backoff backoff,
      ForwardStats stats,
      Clock clock,
      LongConsumer onCommitted,
      Runnable onSpace) {
    this.loop = loop;
    this.sender = new RecordSender(loop, producer, senderThread, this::answered);
    this.producers = producers;
    this.clock = clock;
    this.deadLetterTopic = deadLetterTopic;
    this.backoff = backoff;
    this.stats = stats;
    this.stalls = new StallWatch(loop, stats);
    this.outage =
        new Outage(
            loop,
            stats,
            "Sending to Kafka failed ({}); holding further events in the journal and retrying",
            "Kafka takes events again");
    this.pending = new Unsettled(loop, onCommitted, onSpace);
    this.inFlight = new InFlight(loop, sender);
  }

  /** The gateway's sender thread, {@code edgegate-forward-sender}. */
  public static Executor senderThread() {
    return RecordSender.senderThread();
  }

  /**
   * Reports Kafka unavailable while the oldest event sent has waited longer than {@code after} for
   * its acknowledgement: the producer retries some errors by itself (too few in-sync replicas, a
   * leader election), and no send fails meanwhile. Loop only.
   */
  public void watchForStalls(Duration after) {
    assert loop.inLoop();
    stalls.start(
        after,
        () -> {
          Outgoing oldest = pending.peek();
          return oldest == null || oldest.settled ? 0 : oldest.sentAtNanos;
        });
  }

  /** Bounds the bytes handed to the producer and not yet acknowledged. */
  public void maxInFlightBytes(long bytes) {
    inFlight.maxBytes(bytes);
  }

  @Override
  public void offer(Outgoing o) {
    offer(List.of(o));
  }

  @Override
  public void offer(List<Outgoing> batch) {
    assert loop.inLoop();
    boolean settled = false;
    for (Outgoing o : batch) {
      pending.add(o);
      if (o.settled) {
        settled = true;
      } else {
        toSend.add(o);
      }
    }
    if (settled) {
      settlePrefix();
    }
    pump();
  }

  @Override
  public int bufferedEvents() {
    return pending.size();
  }

  @Override
  public long bufferedBytes() {
    return pending.bytes();
  }

  /** True while sends fail and the forwarder is backing off. */
  public boolean recovering() {
    return recovering;
  }

  /** Hands what may be sent now to the sender, as one run. */
  private void pump() {
    boolean expired = false;
    long now = clock.millis();
    while (!toSend.isEmpty() && probe == null && !recovering && !closed && inFlight.hasRoom()) {
      Outgoing o = toSend.poll();
      if (o.expiredAt(now)) {
        stats.expired();
        o.record = null;
        o.settled = true;
        expired = true;
        continue;
      }
      boolean asProbe = probeNext || !provenTopics.contains(o.record.topic());
      probeNext = false;
      inFlight.add(o);
      if (asProbe) {
        probe = o;
      }
    }
    inFlight.flush();
    if (expired) {
      settlePrefix();
    }
  }

  /** Takes every answer queued: one loop task per drain, however many answers it holds. */
  private void answered() {
    assert loop.inLoop();
    boolean settled = false;
    for (Outgoing o = sender.pollAnswer(); o != null; o = sender.pollAnswer()) {
      Throwable error = o.answer;
      o.answer = null;
      inFlight.answered(o);
      if (o == probe) {
        probe = null;
      }
      settled |= error == null ? succeeded(o) : failed(o, error);
    }
    inFlight.flush(); // dead-letter records
    if (settled) {
      settlePrefix();
    }
    if (recovering) {
      recoverWhenQuiet();
    } else {
      pump();
    }
  }

  private boolean succeeded(Outgoing o) {
    provenTopics.add(o.record.topic());
    stalls.answered();
    backoff.reset();
    sequenceErrorRound = -1;
    outage.up();
    o.settled = true;
    if (!o.deadLettered) {
      stats.forwarded(o.receivedAtMillis);
    }
    return true;
  }

  private boolean failed(Outgoing o, Throwable error) {
    assert loop.inLoop();
    SendFailure kind = SendFailure.of(error);
    if (kind.deadLetters()) {
      if (DeadLetters.swap(o, kind, error, deadLetterTopic, stats)) {
        if (closed) {
          return false; // stays in the journal, unsettled
        }
        inFlight.add(o);
        return false;
      }
      o.settled = true;
      return true;
    }
    if (SendFailure.unwrap(error) instanceof OutOfOrderSequenceException && producers != null) {
      if (sequenceErrorRound >= 0 && sequenceErrorRound < round) {
        replaceProducer = true; // the re-send did not clear it
      }
      sequenceErrorRound = round;
    }
    outage.down(error);
    recovering = true;
    return false;
  }

  /** Once nothing is in flight, waits the backoff and re-sends every unsettled record in order. */
  private void recoverWhenQuiet() {
    if (!inFlight.isEmpty() || retryTimer != -1 || closed) {
      return;
    }
    retryTimer =
        loop.setTimer(
            backoff.next(),
            () -> {
              retryTimer = -1;
              if (closed) {
                return;
              }
              if (replaceProducer) {
                replaceThenResend();
              } else {
                resend();
              }
            });
  }

  private void replaceThenResend() {
    log.warn(
        "Kafka's idempotent producer keeps failing with a sequence error: replacing it and"
            + " re-sending from journal index {}",
        pending.isEmpty() ? "-" : Long.toHexString(pending.peek().index));
    stats.producerReplaced(ProducerReplacement.OUT_OF_ORDER_SEQUENCE);
    retryTimer = -2; // nothing else may start meanwhile
    sender.replaceProducer(
        producers,
        failure -> {
          retryTimer = -1;
          if (closed) {
            return;
          }
          if (failure != null) {
            log.warn(
                "A new Kafka producer could not be made ({}); trying again", failure.toString());
            recoverWhenQuiet();
            return;
          }
          replaceProducer = false;
          sequenceErrorRound = -1;
          resend();
        });
  }

  private void resend() {
    recovering = false;
    round++;
    sender.openGate(); // nothing is in flight or queued: re-sending from the first failure keeps
    // order
    toSend.clear();
    for (Outgoing p : pending) {
      if (!p.settled) {
        toSend.add(p);
      }
    }
    if (!toSend.isEmpty()) {
      stats.retried();
      probeNext = true;
    }
    pump();
  }

  private void settlePrefix() {
    long last = -1;
    while (!pending.isEmpty() && pending.peek().settled) {
      last = pending.poll().index;
    }
    if (last >= 0) {
      pending.settledUpTo(last);
    }
  }

  /**
   * Stops sending, waits up to {@code timeout} for what is in flight, then closes the producer. The
   * returned future completes on the loop after the last acknowledgement was counted.
   */
  @Override
  public Future<Void> close(Duration timeout) {
    assert loop.inLoop();
    closed = true;
    stalls.stop();
    if (retryTimer >= 0) {
      loop.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    Promise<Void> done = Promise.promise();
    sender.close(
        timeout,
        () -> {
          answered(); // what the producer answered while it closed
          done.complete();
        });
    return done.future();
  }
}
