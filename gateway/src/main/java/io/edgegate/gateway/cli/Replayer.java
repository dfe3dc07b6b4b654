package io.edgegate.gateway.cli;

import io.edgegate.gateway.journal.DamagedEntry;
import io.edgegate.gateway.journal.JournalCursor;
import io.edgegate.gateway.journal.JournalEntry;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.thread.Confinement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Sends a range of journal events to Kafka again, built exactly as the gateway built them ({@link
 * io.edgegate.gateway.pipeline.EventProcessor}: same route, key and {@code ce_id}), and waits for
 * every acknowledgement.
 *
 * <p>A record Kafka refuses is counted and the replay goes on. A {@link TimeoutException} from a
 * send (no metadata or no buffer space within {@code max.block.ms}) means Kafka is out of reach:
 * every further send would wait as long, so the replay stops there and says where. Records handed
 * to the producer get {@code idleTimeout} without any acknowledgement before they are given up (the
 * producer itself retries for ever). Used by one thread.
 */
final class Replayer {
  private final Confinement.Owner owner = Confinement.firstCaller();
  private static final int MAX_PROBLEMS = 10;

  /**
   * What a replay did.
   *
   * @param sent events handed to the producer
   * @param acked events Kafka acknowledged
   * @param failed events Kafka refused, or whose send failed or was given up
   * @param unacknowledged of {@code failed}: given up with no answer (may or may not be in Kafka)
   * @param damaged entries that cannot be decoded, so were not sent
   * @param stoppedAt the index the replay stopped before, or -1 when it went through the range
   * @param stopReason why it stopped, or null
   * @param problems the first few failures, each naming its index
   */
  record Outcome(
      long sent,
      long acked,
      long failed,
      long unacknowledged,
      long damaged,
      long stoppedAt,
      String stopReason,
      List<String> problems) {
    boolean complete() {
      return failed == 0 && damaged == 0 && stoppedAt < 0;
    }
  }

  private final Producer<String, byte[]> producer;
  private final Function<JournalEvent, ProducerRecord<String, byte[]>> records;
  private final String topic;
  private final Duration idleTimeout;

  // Written by the producer's I/O thread (callbacks) and read by the replaying thread.
  private final Object lock = new Object();
  private long sent;
  private long acked;
  private long failed;
  private long damaged;
  private long lastProgressNanos;
  private String abortReason;
  private boolean settled; // outcomes after the wait (the forced close fails them) do not count
  private final List<String> problems = new ArrayList<>();

  /**
   * @param topic the topic to send to, or null for the gateway's ({@code kafka.topic})
   * @param idleTimeout how long to wait without any acknowledgement before giving up
   */
  Replayer(
      Producer<String, byte[]> producer,
      Function<JournalEvent, ProducerRecord<String, byte[]>> records,
      String topic,
      Duration idleTimeout) {
    this.producer = producer;
    this.records = records;
    this.topic = topic;
    this.idleTimeout = idleTimeout;
  }

  /** Sends the entries from {@code cursor} up to index {@code to} and waits for the outcome. */
  Outcome replay(JournalCursor cursor, long to) throws InterruptedException {
    assert owner.check();
    long stoppedAt = -1;
    String stopReason = null;
    JournalEntry entry;
    while ((entry = cursor.next()) != null && entry.index() <= to) {
      synchronized (lock) {
        stopReason = abortReason;
      }
      if (stopReason != null) {
        stoppedAt = entry.index();
        break;
      }
      if (entry instanceof DamagedEntry d) {
        synchronized (lock) {
          damaged++;
          problem(d.index(), "damaged, not sent: " + d.problem());
        }
        continue;
      }
      send((JournalEvent) entry);
    }
    long unacknowledged = awaitAcknowledgements();
    if (unacknowledged > 0) {
      // Their fate is unknown; make the producer give up on them rather than retry for ever.
      producer.close(Duration.ZERO);
    }
    synchronized (lock) {
      return new Outcome(
          sent,
          acked,
          failed + unacknowledged,
          unacknowledged,
          damaged,
          stoppedAt,
          stopReason,
          List.copyOf(problems));
    }
  }

  private void send(JournalEvent event) {
    ProducerRecord<String, byte[]> r = records.apply(event);
    if (r == null) { // the pipeline suppressed it (a repeated message id): nothing to send
      synchronized (lock) {
        sent++;
      }
      completed(event.index(), null);
      return;
    }
    if (topic != null) {
      r = new ProducerRecord<>(topic, null, null, r.key(), r.value(), r.headers());
    }
    Callback done = (metadata, error) -> completed(event.index(), error);
    synchronized (lock) {
      sent++;
    }
    try {
      producer.send(r, done);
    } catch (KafkaException | IllegalStateException e) {
      done.onCompletion(null, e); // failed before it was queued
    }
  }

  private void completed(long index, Exception error) {
    synchronized (lock) {
      if (settled) {
        return;
      }
      if (error == null) {
        acked++;
      } else {
        failed++;
        problem(index, error.toString());
        if (error instanceof TimeoutException && abortReason == null) {
          abortReason = "Kafka is out of reach (" + error.getMessage() + ")";
        }
      }
      lastProgressNanos = System.nanoTime();
      lock.notifyAll();
    }
  }

  /** Waits until every sent event has an outcome or none came for the idle timeout. */
  private long awaitAcknowledgements() throws InterruptedException {
    long idle = idleTimeout.toNanos();
    synchronized (lock) {
      lastProgressNanos = System.nanoTime();
      while (acked + failed < sent) {
        long left = lastProgressNanos + idle - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      long unacknowledged = sent - acked - failed;
      if (unacknowledged > 0) {
        problems.add(
            unacknowledged
                + " event(s) had no acknowledgement after "
                + idleTimeout.toMillis() / 1000.0
                + "s without progress; they may or may not be in Kafka");
      }
      settled = true;
      return unacknowledged;
    }
  }

  private void problem(long index, String what) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(JournalIndexes.hex(index) + ": " + what);
    }
  }
}
