package io.edgegate.gateway.cli;

import static io.edgegate.gateway.journal.TestJournals.appendAll;
import static io.edgegate.gateway.journal.TestJournals.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.journal.Journal;
import io.edgegate.gateway.journal.JournalCursor;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalInspector;
import io.edgegate.gateway.journal.JournalStats;
import io.edgegate.gateway.pipeline.EventProcessor;
import io.edgegate.gateway.pipeline.PipelineStats;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay's sending and counting, on a real journal and Kafka's MockProducer. */
class ReplayerTest {
  private final Vertx vertx = Vertx.vertx();
  private final GatewayConfig config = new GatewayConfig();
  @TempDir Path dir;
  private Journal journal;
  private List<JournalEvent> written;
  private List<Long> indexes;

  @BeforeEach
  void journalWithTenEvents() throws Exception {
    config.gateway.id = "gw";
    config.kafka.topic = "events";
    journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE);
    written = events(10, System.currentTimeMillis());
    indexes = appendAll(vertx, journal, written);
  }

  @AfterEach
  void close() throws Exception {
    journal.close();
    vertx.close().await();
  }

  private static MockProducer<String, byte[]> producer(boolean autoComplete) {
    return new MockProducer<>(
        autoComplete, null, new StringSerializer(), new ByteArraySerializer());
  }

  private Replayer.Outcome replay(
      MockProducer<String, byte[]> producer, String topic, Duration idle, int from, int to)
      throws Exception {
    try (JournalInspector inspector = JournalInspector.open(dir, null);
        JournalCursor cursor = inspector.cursorAt(indexes.get(from))) {
      return new Replayer(
              producer, EventProcessor.load(config, PipelineStats.NONE)::process, topic, idle)
          .replay(cursor, indexes.get(to));
    }
  }

  @Test
  void sendsTheRangeAsTheGatewayDidWithTheSameCeIds() throws Exception {
    MockProducer<String, byte[]> producer = producer(true);
    Replayer.Outcome o = replay(producer, "events.replay", Duration.ofSeconds(10), 2, 6);
    assertThat(o.complete()).isTrue();
    assertThat(o.sent()).isEqualTo(5);
    assertThat(o.acked()).isEqualTo(5);
    List<ProducerRecord<String, byte[]>> sent = producer.history();
    assertThat(sent).extracting(ProducerRecord::topic).containsOnly("events.replay");
    for (int i = 0; i < 5; i++) {
      JournalEvent e = written.get(2 + i);
      ProducerRecord<String, byte[]> r = sent.get(i);
      assertThat(r.key()).isEqualTo(e.clientId());
      assertThat(r.value()).isEqualTo(e.payload());
      assertThat(new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
          .isEqualTo(e.eventId().toString());
    }
  }

  @Test
  void aRefusedRecordIsCountedNamedAndTheOthersStillGo() throws Exception {
    MockProducer<String, byte[]> producer = producer(false);
    CompletableFuture<Replayer.Outcome> outcome =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return replay(producer, null, Duration.ofSeconds(30), 0, 9);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(Duration.ofSeconds(20)).until(() -> producer.history().size() == 10);
    producer.errorNext(new RecordTooLargeException("too large for the broker"));
    while (producer.completeNext()) {
      // acknowledge the other nine
    }
    Replayer.Outcome o = outcome.get(20, TimeUnit.SECONDS);
    assertThat(o.complete()).isFalse();
    assertThat(o.acked()).isEqualTo(9);
    assertThat(o.failed()).isEqualTo(1);
    assertThat(o.stoppedAt()).isEqualTo(-1);
    assertThat(o.problems())
        .singleElement()
        .asString()
        .startsWith("0x" + Long.toHexString(indexes.get(0)))
        .contains("RecordTooLargeException");
    assertThat(producer.history()).extracting(ProducerRecord::topic).containsOnly("events");
  }

  @Test
  void kafkaOutOfReachStopsTheReplayAndSaysWhereToResume() throws Exception {
    MockProducer<String, byte[]> producer = producer(true);
    producer.sendException =
        new TimeoutException("Topic events not present in metadata after 10000 ms.");
    Replayer.Outcome o = replay(producer, null, Duration.ofSeconds(10), 3, 9);
    assertThat(o.complete()).isFalse();
    assertThat(o.sent()).isEqualTo(1);
    assertThat(o.failed()).isEqualTo(1);
    assertThat(o.stoppedAt()).isEqualTo(indexes.get(4));
    assertThat(o.stopReason()).contains("out of reach").contains("not present in metadata");
  }

  @Test
  void eventsWithoutAnyAcknowledgementAreGivenUpAfterTheIdleTimeout() throws Exception {
    MockProducer<String, byte[]> producer = producer(false);
    long start = System.nanoTime();
    Replayer.Outcome o = replay(producer, null, Duration.ofMillis(300), 0, 3);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(o.sent()).isEqualTo(4);
    assertThat(o.acked()).isZero();
    assertThat(o.failed()).isEqualTo(4);
    assertThat(o.unacknowledged()).isEqualTo(4);
    assertThat(o.problems()).anyMatch(p -> p.contains("may or may not be in Kafka"));
    assertThat(producer.closed()).isTrue();
  }
}
