package io.edgegate.gateway.command;

import io.edgegate.gateway.config.CommandsConfig;
import io.edgegate.gateway.session.Command;
import io.edgegate.gateway.session.Sessions;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code commands.topic} on its own thread and offers each command to its device's session.
 * Offsets are committed (manually, {@code enable.auto.commit=false}) per partition up to the lowest
 * offset not yet settled — delivered, durably queued, expired or refused — so a restart neither
 * loses a command nor repeats a settled one (beyond the window between a settlement and its commit,
 * a few hundred milliseconds). Over {@code commands.maxInFlight} unsettled commands the partitions
 * are paused. Records of one device share a partition (key = device id), and a session queues them
 * in arrival order: per-device order is Kafka's order.
 *
 * <p>Threading: the Kafka consumer belongs to the thread {@code edgegate-commands}; settlements
 * arrive from any thread through a concurrent queue.
 */
public final class CommandConsumer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CommandConsumer.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private record Settled(TopicPartition tp, long offset) {}

  private final Consumer<String, byte[]> consumer;
  private final CommandsConfig config;
  private final CommandRecords records;
  private final Sessions sessions;
  private final OutcomePublisher outcomes;
  private final Offsets offsets = new Offsets();
  private final ConcurrentLinkedQueue<Settled> settled = new ConcurrentLinkedQueue<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean dispatching = true;
  private volatile boolean running = true;
  private volatile long lag;
  private boolean paused;

  CommandConsumer(
      Consumer<String, byte[]> consumer,
      CommandsConfig config,
      CommandTopics topics,
      Sessions sessions,
      OutcomePublisher outcomes) {
    this.consumer = consumer;
    this.config = config;
    this.records = new CommandRecords(config, topics);
    this.sessions = sessions;
    this.outcomes = outcomes;
    this.thread = new Thread(this::run, "edgegate-commands");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private static final Duration LOG_AGAIN = Duration.ofMinutes(5);

  private void run() {
    try {
      consumer.subscribe(
          List.of(config.topic),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              commit(true);
              partitions.forEach(offsets::revoked);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              if (paused) {
                consumer.pause(partitions);
              }
            }
          });
      // A lasting failure (wrong credentials, an untrusted broker) is one line, not two a second:
      // the same kind again within LOG_AGAIN goes to DEBUG. (A poll that returns without an error
      // does not prove Kafka answers: the client fails only when it tries to reconnect.)
      Class<?> lastLogged = null;
      long lastLoggedAt = 0;
      while (running) {
        try {
          loopOnce();
        } catch (WakeupException e) {
          // close() woke the poll
        } catch (RuntimeException e) {
          // One bad iteration (Kafka unreachable, a commit refused) must not end the consumer.
          long now = System.nanoTime();
          if (e.getClass() != lastLogged || now - lastLoggedAt > LOG_AGAIN.toNanos()) {
            log.warn("Command consumer: {}", e.toString());
            lastLogged = e.getClass();
            lastLoggedAt = now;
          } else {
            log.debug("Command consumer: {}", e.toString());
          }
          sleepQuietly(500);
        }
      }
      drainSettled();
      commit(true);
    } catch (RuntimeException e) {
      log.error("Command consumer stopped", e);
    } finally {
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.debug("Command consumer close: {}", e.toString());
      }
      stopped.countDown();
    }
  }

  private void loopOnce() {
    drainSettled();
    boolean over = offsets.unsettled() >= config.maxInFlight || !dispatching;
    if (over != paused) {
      paused = over;
      if (over) {
        consumer.pause(consumer.assignment());
      } else {
        consumer.resume(consumer.assignment());
      }
    }
    ConsumerRecords<String, byte[]> batch = consumer.poll(POLL);
    for (ConsumerRecord<String, byte[]> r : batch) {
      if (!dispatching) {
        break; // stopping: not taken, so not committed; the next run reads it again
      }
      dispatch(r);
    }
    updateLag();
    commit(false);
  }

  private void dispatch(ConsumerRecord<String, byte[]> r) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    long offset = r.offset();
    offsets.taken(tp, offset);
    Command c;
    try {
      c = records.parse(r);
    } catch (CommandRecords.InvalidCommand e) {
      outcomes.invalid(e.id, e.deviceId == null ? "" : e.deviceId, e.getMessage());
      offsets.settled(tp, offset);
      return;
    }
    c.onSettled(() -> settled.add(new Settled(tp, offset)));
    sessions.offer(c);
  }

  private void drainSettled() {
    Settled s;
    while ((s = settled.poll()) != null) {
      offsets.settled(s.tp(), s.offset());
    }
  }

  private void commit(boolean sync) {
    drainSettled();
    Map<TopicPartition, OffsetAndMetadata> due = offsets.toCommit();
    if (due.isEmpty()) {
      return;
    }
    if (sync) {
      try {
        try {
          consumer.commitSync(due, Duration.ofSeconds(5));
        } catch (WakeupException e) {
          // close() woke the consumer outside a poll: the wakeup hit this commit and is spent now.
          consumer.commitSync(due, Duration.ofSeconds(5));
        }
        offsets.committed(due);
      } catch (RuntimeException e) {
        log.warn("Command offsets not committed: {}", e.toString());
      }
    } else {
      consumer.commitAsync(
          due,
          (done, e) -> {
            if (e == null) {
              offsets.committed(done);
            } else {
              log.debug("Command offsets not committed yet: {}", e.toString());
            }
          });
    }
  }

  private void updateLag() {
    long total = 0;
    try {
      for (TopicPartition tp : consumer.assignment()) {
        var l = consumer.currentLag(tp);
        if (l.isPresent()) {
          total += l.getAsLong();
        }
      }
    } catch (RuntimeException e) {
      return;
    }
    lag = total;
  }

  /** Records not yet read, as the consumer last knew (a gauge). Any thread. */
  public long lag() {
    return lag;
  }

  /** Stops offering new commands (gateway stop: connections close next). Any thread. */
  public void stopDispatching() {
    dispatching = false;
  }

  /** Commits what is settled and closes the consumer. Blocking; idempotent. */
  @Override
  public void close() {
    running = false;
    dispatching = false;
    consumer.wakeup();
    try {
      if (!stopped.await(15, TimeUnit.SECONDS)) {
        log.warn("Command consumer did not stop within 15s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
