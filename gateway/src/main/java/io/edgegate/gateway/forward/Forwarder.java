package io.edgegate.gateway.forward;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records to Kafka in journal order through the Vert.x {@link KafkaWriteStream} and reports
 * the journal prefix Kafka has acknowledged. <b>Confined to the pipeline's event loop</b>
 * (asserted): every method and callback runs there.
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
 * <p>Poison records (too large, invalid topic, not authorised: {@link SendFailure}) go to the
 * dead-letter topic with the reason in headers; if Kafka refuses that too, the event is counted as
 * dropped and logged with its journal index (it stays in the journal for replay). Never an endless
 * retry for one record.
 *
 * <p>Expiry: an event whose MQTT 5 Message Expiry Interval has run out when its turn to be sent
 * comes (also a re-send after an outage) is not sent, counted, and settled like a sent one, so the
 * checkpoint moves past it. A record already handed to the producer is the producer's: it delivers
 * it whenever Kafka takes it (at most {@code forward.maxInFlightBytes} of them).
 *
 * <p>Memory: everything accepted and not settled is held in {@link #bufferedEvents()} / {@link
 * #bufferedBytes()}; the pipeline offers more only while those are under budget. The producer's own
 * queue is bounded by {@code setWriteQueueMaxSize}; when full, sending waits for its drain handler.
 */
public final class Forwarder implements Forwarding {
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

  private final Vertx vertx;
  private final Context context;
  private final KafkaWriteStream<String, byte[]> producer;
  private final GatedProducer<String, byte[]> gate;
  private final String deadLetterTopic;
  private final Backoff backoff;
  private final ForwardStats stats;
  private final java.time.Clock clock;
  private final LongConsumer onCommitted;
  private final Runnable onSpace;

  // accepted and not yet settled, in journal order: the head decides the checkpoint
  private final ArrayDeque<Outgoing> pending = new ArrayDeque<>();
  // accepted and not in flight, in journal order
  private final ArrayDeque<Outgoing> toSend = new ArrayDeque<>();
  private final Set<String> provenTopics = new HashSet<>();
  private long bufferedBytes;
  private int inFlight;
  private Outgoing probe;
  private boolean probeNext;
  private boolean recovering;
  private long retryTimer = -1;
  private boolean closed;
  private boolean outage;
  private final StallWatch stalls;

  /**
   * @param producer the native producer; the forwarder sends through a Vert.x write stream over it
   * @param clock what event expiry deadlines are compared with (the ingest's clock)
   */
  public Forwarder(
      Vertx vertx,
      org.apache.kafka.clients.producer.Producer<String, byte[]> producer,
      String deadLetterTopic,
      Duration retryBackoff,
      Duration retryBackoffMax,
      ForwardStats stats,
      java.time.Clock clock,
      LongConsumer onCommitted,
      Runnable onSpace) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.clock = clock;
    this.gate = new GatedProducer<>(producer);
    this.producer = KafkaWriteStream.create(vertx, gate);
    // Every send's outcome is handled where it is sent; this only keeps Vert.x from reporting
    // the same failure again as "unhandled".
    this.producer.exceptionHandler(e -> log.debug("Kafka producer: {}", e.toString()));
    this.deadLetterTopic = deadLetterTopic;
    this.backoff = new Backoff(retryBackoff, retryBackoffMax);
    this.stats = stats;
    this.stalls = new StallWatch(vertx, stats);
    this.onCommitted = onCommitted;
    this.onSpace = onSpace;
  }

  /**
   * Reports Kafka unavailable while the oldest event sent has waited longer than {@code after} for
   * its acknowledgement: the producer retries some errors by itself (too few in-sync replicas, a
   * leader election), and no send fails meanwhile.
   */
  public void watchForStalls(Duration after) {
    stalls.start(
        after,
        () -> {
          Outgoing oldest = pending.peek();
          return oldest == null || oldest.settled ? 0 : oldest.sentAtNanos;
        });
  }

  /** Bounds the bytes handed to the producer and not yet acknowledged. */
  public void maxInFlightBytes(long bytes) {
    producer.setWriteQueueMaxSize((int) Math.min(Integer.MAX_VALUE, bytes));
  }

  @Override
  public void offer(Outgoing o) {
    assert context.isEventLoopContext() && Vertx.currentContext() == context;
    pending.add(o);
    bufferedBytes += o.weight;
    if (o.settled) {
      settlePrefix();
      return;
    }
    toSend.add(o);
    pump();
  }

  @Override
  public int bufferedEvents() {
    return pending.size();
  }

  @Override
  public long bufferedBytes() {
    return bufferedBytes;
  }

  /** True while sends fail and the forwarder is backing off. */
  public boolean recovering() {
    return recovering;
  }

  private void pump() {
    while (!toSend.isEmpty() && probe == null && !recovering && !closed) {
      if (producer.writeQueueFull()) {
        producer.drainHandler(v -> pump());
        return;
      }
      Outgoing o = toSend.poll();
      if (o.expiredAt(clock.millis())) {
        expired(o);
        continue;
      }
      boolean asProbe = probeNext || !provenTopics.contains(o.record.topic());
      probeNext = false;
      send(o);
      if (asProbe) {
        probe = o;
        return;
      }
    }
  }

  private void send(Outgoing o) {
    inFlight++;
    o.sentAtNanos = System.nanoTime();
    producer
        .send(o.record)
        .onComplete(
            ar -> {
              inFlight--;
              if (o == probe) {
                probe = null;
              }
              if (ar.succeeded()) {
                succeeded(o);
              } else {
                failed(o, ar.cause());
              }
            });
  }

  private void succeeded(Outgoing o) {
    provenTopics.add(o.record.topic());
    stalls.answered();
    if (outage) {
      outage = false;
      log.info("Kafka takes events again");
    }
    backoff.reset();
    stats.kafkaAvailable(true);
    o.settled = true;
    if (!o.deadLettered) {
      stats.forwarded(o.receivedAtMillis);
    }
    settlePrefix();
    if (recovering) {
      recoverWhenQuiet();
    } else {
      pump();
    }
  }

  private void failed(Outgoing o, Throwable error) {
    SendFailure kind = SendFailure.of(error);
    if (kind.deadLetters()) {
      if (!o.deadLettered) {
        log.warn(
            "Kafka refused event {} for good ({}): sending it to dead-letter topic {}",
            Long.toHexString(o.index),
            SendFailure.unwrap(error).toString(),
            deadLetterTopic);
        stats.deadLettered(kind.reason);
        o.record = DeadLetters.record(o.record, kind, error, deadLetterTopic);
        o.deadLettered = true;
        send(o);
      } else {
        log.error(
            "Kafka refused event {} on the dead-letter topic too ({}); it stays in the journal at"
                + " this index for replay",
            Long.toHexString(o.index),
            SendFailure.unwrap(error).toString());
        stats.dropped("dead-letter-refused");
        o.settled = true;
        settlePrefix();
        if (recovering) {
          recoverWhenQuiet();
        } else {
          pump();
        }
      }
      return;
    }
    if (!outage) {
      outage = true; // once per outage, not once per retry
      log.warn(
          "Sending to Kafka failed ({}); holding further events in the journal and retrying",
          SendFailure.unwrap(error).toString());
    }
    stats.kafkaAvailable(false);
    recovering = true;
    recoverWhenQuiet();
  }

  /** Once nothing is in flight, waits the backoff and re-sends every unsettled record in order. */
  private void recoverWhenQuiet() {
    if (inFlight > 0 || retryTimer != -1 || closed) {
      return;
    }
    retryTimer =
        vertx.setTimer(
            backoff.next(),
            id -> {
              retryTimer = -1;
              recovering = false;
              gate.open(); // nothing is in flight or queued: re-sending from the first failure
              // keeps order
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
            });
  }

  private void expired(Outgoing o) {
    stats.expired();
    o.record = null;
    o.settled = true;
    settlePrefix();
  }

  private void settlePrefix() {
    long last = -1;
    while (!pending.isEmpty() && pending.peek().settled) {
      Outgoing head = pending.poll();
      bufferedBytes -= head.weight;
      last = head.index;
    }
    if (last >= 0) {
      onCommitted.accept(last);
      onSpace.run();
    }
  }

  /**
   * Stops sending, waits up to {@code timeout} for what is in flight, then closes the producer. The
   * returned future completes on this forwarder's context after the last acknowledgement was
   * counted.
   */
  @Override
  public Future<Void> close(Duration timeout) {
    closed = true;
    stalls.stop();
    if (retryTimer != -1) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    Promise<Void> done = Promise.promise();
    producer.close(timeout.toMillis()).onComplete(ar -> context.runOnContext(v -> done.complete()));
    return done.future();
  }
}
