package io.edgegate.gateway.command;

import io.edgegate.gateway.forward.Backoff;
import io.edgegate.gateway.session.Command;
import io.edgegate.gateway.session.CommandOutcomes;
import io.edgegate.gateway.session.OutcomeReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles each command and writes its outcome to {@code commands.outcomesTopic}: key = device id,
 * value = JSON {@code {commandId, deviceId, outcome, reason, at, qos}}, header {@code command_id}.
 * {@link #report} is called on event loops and other threads: it never blocks; the producer's
 * {@code send} (which may wait for metadata) runs on one dedicated thread behind a bounded queue.
 * An outcome that finds the queue full is counted and logged, not written (the command is settled
 * all the same: outcomes are a report, not the delivery). While Kafka is unreachable the sending
 * thread retries the oldest outcome with a jittered {@link Backoff} (100 ms doubling to 5 s), so
 * outcomes wait (in order) rather than being lost.
 */
final class OutcomePublisher implements CommandOutcomes, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutcomePublisher.class);
  static final String METER = "edgegate.commands";
  static final String NOT_REPORTED = "edgegate.commands.outcomes.unreported";

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final Clock clock;
  private final ThreadPoolExecutor sender;
  private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
  private final Counter unreported;
  private final Backoff backoff; // the sending thread's
  private volatile boolean closing;

  OutcomePublisher(
      Producer<String, byte[]> producer,
      String topic,
      int maxPending,
      Clock clock,
      MeterRegistry registry) {
    this(
        producer,
        topic,
        maxPending,
        clock,
        registry,
        Backoff.jittered(Duration.ofMillis(100), Duration.ofSeconds(5), new SplittableRandom()));
  }

  /** With the backoff between attempts to hand an outcome to the producer (tests: seeded). */
  OutcomePublisher(
      Producer<String, byte[]> producer,
      String topic,
      int maxPending,
      Clock clock,
      MeterRegistry registry,
      Backoff backoff) {
    this.producer = producer;
    this.backoff = backoff;
    this.topic = topic;
    this.clock = clock;
    this.sender =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(maxPending),
            r -> {
              Thread t = new Thread(r, "edgegate-command-outcomes");
              t.setDaemon(true);
              return t;
            });
    for (Outcome o : Outcome.values()) {
      counters.put(
          o,
          Counter.builder(METER)
              .description("Commands by outcome (a queued command is counted again when delivered)")
              .tag("outcome", o.tag())
              .register(registry));
    }
    this.unreported =
        Counter.builder(NOT_REPORTED)
            .description("Command outcomes not written to Kafka (queue full or send failed)")
            .register(registry);
  }

  @Override
  public void report(Command command, Outcome outcome, OutcomeReason reason, int deviceCode) {
    command.settle();
    counters.get(outcome).increment();
    JsonObject value =
        new JsonObject()
            .put("commandId", command.id())
            .put("deviceId", command.deviceId())
            .put("outcome", outcome.tag())
            .put("at", Instant.ofEpochMilli(clock.millis()).toString())
            .put("qos", command.qos());
    if (reason != null) {
      value.put("reason", reason.text(deviceCode));
    }
    send(command.deviceId(), command.id(), value);
  }

  /** An outcome of a record that is not a command (bad headers). */
  void invalid(String commandId, String deviceId, String reason) {
    counters.get(Outcome.REFUSED).increment();
    send(
        deviceId,
        commandId,
        new JsonObject()
            .put("commandId", commandId)
            .put("deviceId", deviceId)
            .put("outcome", Outcome.REFUSED.tag())
            .put("reason", reason)
            .put("at", Instant.ofEpochMilli(clock.millis()).toString()));
  }

  private void send(String key, String commandId, JsonObject value) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, key, value.toBuffer().getBytes());
    record.headers().add("command_id", commandId.getBytes(StandardCharsets.UTF_8));
    try {
      sender.execute(() -> sendUntilTaken(record, commandId));
    } catch (RejectedExecutionException e) {
      unreported.increment();
      log.warn("Outcome of command {} not written: too many outcomes waiting", commandId);
    }
  }

  /** On the sending thread: retries while the producer cannot take the record (no metadata). */
  private void sendUntilTaken(ProducerRecord<String, byte[]> record, String commandId) {
    backoff.reset(); // each outcome starts from the shortest wait
    while (true) {
      try {
        producer.send(
            record,
            (md, e) -> {
              if (e != null) {
                unreported.increment();
                log.warn("Outcome of command {} not written: {}", commandId, e.toString());
              }
            });
        return;
      } catch (RetriableException e) {
        if (closing) {
          unreported.increment();
          log.warn("Outcome of command {} not written: {}", commandId, e.toString());
          return;
        }
        log.debug("Outcome of command {} waits for Kafka: {}", commandId, e.toString());
        try {
          Thread.sleep(backoff.next()); // the dedicated sending thread, never an event loop
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      } catch (RuntimeException e) {
        unreported.increment();
        log.warn("Outcome of command {} not written: {}", commandId, e.toString());
        return;
      }
    }
  }

  /** Sends what is queued (bounded wait), then closes the producer. Blocking. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
        closing = true; // Kafka is away: stop waiting for it
        sender.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closing = true;
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
