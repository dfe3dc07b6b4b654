package io.edgegate.gateway.forward;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands runs of records to the native Kafka producer on a thread of its own, and their answers back
 * to the forward loop in batches.
 *
 * <p>Threads: {@link #send}, {@link #replaceProducer} and {@link #close} are called on the forward
 * loop and hand their work to the <b>sender thread</b> ({@code edgegate-forward-sender}), one task
 * per run, executed in order: so records reach {@code Producer.send} in the order the loop handed
 * them over. {@code send} may block (waiting for topic metadata or buffer memory, up to {@code
 * max.block.ms}): that is why it is never called on an event loop (asserted). Kafka calls back on
 * its I/O thread (or on the sender thread, for a send that fails before entering the buffer); each
 * answer is put on a lock-free queue, and one task per drain, not one per answer, is scheduled on
 * the loop, which takes every answer queued by then ({@link #pollAnswer}).
 *
 * <p>Memory: the queue holds at most one answer per record in flight, and the forwarder bounds
 * those by {@code forward.maxInFlightBytes}.
 */
final class RecordSender {
  private static final Logger log = LoggerFactory.getLogger(RecordSender.class);

  private final ForwardLoop loop;
  private final Executor thread;
  private final Runnable onAnswers;
  private final ConcurrentLinkedQueue<Outgoing> answers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  // read and replaced on the sender thread; the loop reads it only to open it when nothing is in
  // flight
  private volatile GatedProducer<String, byte[]> gate;
  private volatile boolean closing;

  /**
   * @param thread runs tasks one at a time, in order, never on the loop ({@link #senderThread()});
   *     shut down by {@link #close} if it is an {@link ExecutorService}
   * @param onAnswers runs on the loop when answers are queued; it takes them with {@link
   *     #pollAnswer}
   */
  RecordSender(
      ForwardLoop loop, Producer<String, byte[]> producer, Executor thread, Runnable onAnswers) {
    this.loop = loop;
    this.gate = new GatedProducer<>(producer);
    this.thread = thread;
    this.onAnswers = onAnswers;
  }

  /** The gateway's sender: one thread named {@code edgegate-forward-sender}. */
  static ExecutorService senderThread() {
    return new ThreadPoolExecutor(
        1,
        1,
        0,
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), // bounded by the forwarder's in-flight budget
        r -> {
          Thread t = new Thread(r, "edgegate-forward-sender");
          t.setDaemon(true);
          return t;
        });
  }

  /** Hands a run of records over, in order: one task on the sender thread. Loop only. */
  void send(List<Outgoing> run) {
    assert loop.inLoop();
    thread.execute(
        () -> {
          assert !loop.inLoop();
          GatedProducer<String, byte[]> g = gate;
          for (Outgoing o : run) {
            if (closing) {
              return; // unanswered: they stay in the journal, unsettled
            }
            Callback answer = (metadata, error) -> answered(o, error);
            try {
              g.send(o.record, answer);
            } catch (RuntimeException e) {
              answered(o, e); // refused before Kafka took it (the gate, a closed producer)
            }
          }
        });
  }

  private void answered(Outgoing o, Throwable error) {
    o.answer = error;
    answers.add(o);
    if (drainScheduled.compareAndSet(false, true)) {
      loop.execute(
          () -> {
            drainScheduled.set(false); // before taking: an answer added meanwhile schedules again
            onAnswers.run();
          });
    }
  }

  /** The next answer queued, or null; its {@link Outgoing#answer} holds the error, if any. Loop. */
  Outgoing pollAnswer() {
    assert loop.inLoop();
    return answers.poll();
  }

  /** Lets sends through again. Loop only, and only when nothing is in flight. */
  void openGate() {
    gate.open();
  }

  /**
   * Closes the producer (its buffered records fail) and opens a new one from {@code producers}, on
   * the sender thread; then runs {@code done} on the loop, with the failure if making the new one
   * failed (the old one stays closed: call again).
   */
  void replaceProducer(
      Supplier<Producer<String, byte[]>> producers,
      java.util.function.Consumer<RuntimeException> done) {
    assert loop.inLoop();
    thread.execute(
        () -> {
          RuntimeException failure = null;
          try {
            gate.close(Duration.ZERO);
          } catch (RuntimeException e) {
            log.debug("Closing the Kafka producer: {}", e.toString());
          }
          try {
            gate = new GatedProducer<>(producers.get());
          } catch (RuntimeException e) {
            failure = e;
          }
          RuntimeException f = failure;
          loop.execute(() -> done.accept(f));
        });
  }

  /**
   * Stops sending what is still queued, closes the producer (which waits up to {@code timeout} for
   * what it holds, its answers queued as usual), stops the thread, then runs {@code done} on the
   * loop: after every answer given by then was queued.
   */
  void close(Duration timeout, Runnable done) {
    closing = true;
    thread.execute(
        () -> {
          try {
            gate.close(timeout);
          } catch (RuntimeException e) {
            log.warn("Closing the Kafka producer: {}", e.toString());
          }
          if (thread instanceof ExecutorService pool) {
            pool.shutdown();
          }
          loop.execute(done);
        });
  }
}
