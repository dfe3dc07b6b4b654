package io.edgegate.gateway.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.forward.Backoff;
import io.edgegate.gateway.session.Command;
import io.edgegate.gateway.session.CommandOutcomes.Outcome;
import io.edgegate.gateway.session.OutcomeReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Outcomes wait, in order and with a backoff, while the producer cannot take them. */
class OutcomePublisherTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);

  /** A producer without metadata for its first {@code refusals} sends (Kafka away). */
  private static final class AwayFirst extends MockProducer<String, byte[]> {
    final AtomicInteger refusals;
    final AtomicInteger attempts = new AtomicInteger();

    AwayFirst(int refusals) {
      super(true, null, new StringSerializer(), new ByteArraySerializer());
      this.refusals = new AtomicInteger(refusals);
    }

    @Override
    public synchronized Future<RecordMetadata> send(
        ProducerRecord<String, byte[]> record, Callback callback) {
      attempts.incrementAndGet();
      if (refusals.getAndDecrement() > 0) {
        throw new TimeoutException("no metadata");
      }
      return super.send(record, callback);
    }
  }

  private static Command command(String id) {
    return new Command(
        id, "d1", "reboot", "devices/d1/commands/reboot", new byte[0], 1, 0, null, null);
  }

  private OutcomePublisher publisher(AwayFirst producer) {
    return new OutcomePublisher(
        producer,
        "outcomes",
        10,
        clock,
        registry,
        Backoff.jittered(Duration.ofMillis(1), Duration.ofMillis(4), new SplittableRandom(3)));
  }

  @Test
  void outcomesWaitInOrderWhileKafkaIsAwayAndGoOnceItIsBack() {
    AwayFirst producer = new AwayFirst(5);
    OutcomePublisher p = publisher(producer);
    p.report(command("c1"), Outcome.DELIVERED, null);
    p.report(command("c2"), Outcome.REFUSED, OutcomeReason.QUEUE_FULL);
    p.report(command("c3"), Outcome.QUEUED, OutcomeReason.OFFLINE);
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 3);
    List<String> ids =
        producer.history().stream()
            .map(r -> new JsonObject(new String(r.value())).getString("commandId"))
            .toList();
    assertThat(ids).containsExactly("c1", "c2", "c3");
    assertThat(producer.attempts.get()).as("5 refused, then one each").isEqualTo(8);
    JsonObject second = new JsonObject(new String(producer.history().get(1).value()));
    assertThat(second.getString("outcome")).isEqualTo("refused");
    assertThat(second.getString("reason")).isEqualTo("queue-full");
    assertThat(registry.counter(OutcomePublisher.NOT_REPORTED).count()).isZero();
    p.close();
  }

  @Test
  void anOutcomeStillWaitingAtCloseIsCountedUnreported() {
    AwayFirst producer = new AwayFirst(Integer.MAX_VALUE);
    OutcomePublisher p = publisher(producer);
    p.report(command("c1"), Outcome.DELIVERED, null);
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.attempts.get() >= 3);
    p.close();
    assertThat(producer.history()).isEmpty();
    assertThat(registry.counter(OutcomePublisher.NOT_REPORTED).count()).isEqualTo(1);
  }
}
