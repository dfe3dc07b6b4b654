package io.edgegate.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.journal.Checkpoint;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exactly-once forwarding without a broker: Kafka's transactional MockProducer, the sender thread
 * and the loop driven by the test, virtual time, and a position held in memory.
 */
@Timeout(5)
class TransactionalForwarderTest {
  private static final Duration BACKOFF = Duration.ofMillis(100);

  private final ManualLoop loop = new ManualLoop();
  private final ManualExecutor sender = new ManualExecutor();
  private final ManualExecutor closer = new ManualExecutor();
  private final TxProducer first = new TxProducer();
  private final List<TxProducer> made = new ArrayList<>();
  private final Position position = new Position();
  private final ForwarderTest.Stats stats = new ForwarderTest.Stats();
  private final List<Long> committed = new ArrayList<>();
  private TransactionalForwarder forwarder;

  /** A MockProducer that refuses chosen records for good, and then cannot commit, as Kafka does. */
  static final class TxProducer extends MockProducer<String, byte[]> {
    Predicate<String> tooLarge = v -> false;
    private boolean failedSend;
    int aborts;

    TxProducer() {
      super(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public synchronized java.util.concurrent.Future<RecordMetadata> send(
        ProducerRecord<String, byte[]> r, Callback callback) {
      if (r.value() != null && tooLarge.test(value(r))) {
        failedSend = true;
        RecordTooLargeException e = new RecordTooLargeException("too large");
        callback.onCompletion(null, e);
        return CompletableFuture.failedFuture(e);
      }
      return super.send(r, callback);
    }

    @Override
    public synchronized void commitTransaction() {
      if (failedSend) {
        throw new KafkaException("a send of this transaction failed");
      }
      super.commitTransaction();
    }

    @Override
    public synchronized void abortTransaction() {
      failedSend = false;
      aborts++;
      super.abortTransaction();
    }

    /** What a read_committed consumer sees, as topic:value. */
    List<String> committedRecords() {
      return history().stream().map(r -> r.topic() + ":" + value(r)).toList();
    }
  }

  /** The committed position, in memory. */
  static final class Position implements TransactionPosition {
    long stored = Checkpoint.NONE;

    @Override
    public ProducerRecord<String, byte[]> record(long lastIndex) {
      return new ProducerRecord<>(
          "offsets", "gw", Long.toString(lastIndex).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void ensureTopic() {}

    @Override
    public long read() {
      return stored;
    }
  }

  private static String value(ProducerRecord<String, byte[]> r) {
    return r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
  }

  @BeforeEach
  void setUp() {
    forwarder =
        new TransactionalForwarder(
            loop,
            sender,
            closer,
            first,
            () -> {
              TxProducer p = new TxProducer();
              made.add(p);
              return (Producer<String, byte[]>) p;
            },
            position,
            "dlq",
            3,
            Duration.ofMillis(50),
            Backoff.exact(BACKOFF, Duration.ofSeconds(1)),
            stats,
            loop.clock(),
            committed::add,
            () -> {});
  }

  private void cycle() {
    while (sender.runAll() + closer.runAll() + loop.runTasks() > 0) {}
  }

  private Future<Long> start() {
    @SuppressWarnings("unchecked")
    Future<Long>[] f = new Future[1];
    loop.onLoop(() -> f[0] = forwarder.start());
    cycle();
    return f[0];
  }

  private void offer(Outgoing... batch) {
    loop.onLoop(() -> forwarder.offer(List.of(batch)));
  }

  private static Outgoing event(long index) {
    return event(index, 0);
  }

  private static Outgoing event(long index, long expiresAt) {
    return new Outgoing(
        index,
        1,
        expiresAt,
        10,
        new ProducerRecord<>("events", "dev-a", ("e" + index).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aFullBatchCommitsWithItsPositionAndAShortOneAfterTheDelay() {
    assertThat(start().result()).isEqualTo(Checkpoint.NONE);
    offer(event(1), event(2), event(3));
    assertThat(sender.queued()).as("one hand-off per transaction").isEqualTo(1);
    cycle();
    assertThat(first.committedRecords())
        .containsExactly("events:e1", "events:e2", "events:e3", "offsets:3");
    assertThat(committed).containsExactly(3L);

    offer(event(4));
    cycle();
    assertThat(committed).containsExactly(3L);
    loop.advance(50);
    cycle();
    assertThat(first.committedRecords()).endsWith("events:e4", "offsets:4");
    assertThat(committed).containsExactly(3L, 4L);
    assertThat(stats.forwarded).isEqualTo(4);
    assertThat(forwarder.bufferedEvents()).isZero();
  }

  @Test
  void aRecordRefusedForGoodGoesToTheDeadLettersInTheSameBatch() {
    start();
    first.tooLarge = "e2"::equals;
    offer(event(1), event(2), event(3));
    cycle();
    assertThat(first.aborts).as("aborted once, then sent again").isEqualTo(1);
    assertThat(first.committedRecords())
        .as("a record too large goes to the dead letters without its payload")
        .containsExactly("events:e1", "dlq:null", "events:e3", "offsets:3");
    assertThat(stats.deadLettered).containsExactly("record-too-large");
    assertThat(committed).containsExactly(3L);
    assertThat(stats.forwarded).as("the dead letter is not counted as forwarded").isEqualTo(2);
  }

  @Test
  void aFailedCommitFencesWithANewProducerAndResumesAfterWhatKafkaHas() {
    start();
    first.commitTransactionException = new TimeoutException("commit timed out");
    offer(event(1), event(2), event(3));
    cycle();
    assertThat(committed).isEmpty();
    assertThat(stats.available).isFalse();

    position.stored = 2; // the commit of an earlier attempt reached Kafka; its answer did not
    loop.advance(BACKOFF.toMillis());
    cycle();
    assertThat(first.closed()).isTrue();
    assertThat(made).hasSize(1);
    assertThat(committed).as("settled up to Kafka's position").containsExactly(2L);
    offer(event(4), event(5));
    cycle();
    assertThat(made.get(0).committedRecords())
        .containsExactly("events:e3", "events:e4", "events:e5", "offsets:5");
    assertThat(committed).containsExactly(2L, 5L);
    assertThat(stats.retried).isEqualTo(1);
    assertThat(stats.available).isTrue();
  }

  @Test
  void anExpiredEventIsLeftOutAndItsPositionCommitted() {
    start();
    long now = loop.millis();
    offer(event(1, now - 1), event(2), event(3, now + 60_000));
    cycle();
    assertThat(first.committedRecords()).containsExactly("events:e2", "events:e3", "offsets:3");
    assertThat(stats.expired).isEqualTo(1);
    assertThat(committed).containsExactly(3L);
  }

  @Test
  void closeClosesTheProducerOffTheSenderThread() {
    start();
    offer(event(1));
    @SuppressWarnings("unchecked")
    Future<Void>[] closed = new Future[1];
    loop.onLoop(() -> closed[0] = forwarder.close(Duration.ofSeconds(1)));
    assertThat(closer.queued()).isEqualTo(1);
    closer.runAll();
    loop.runTasks();
    assertThat(closed[0].succeeded()).isTrue();
    assertThat(first.closed()).isTrue();
    loop.advance(1_000);
    cycle();
    assertThat(committed).as("nothing commits after close").isEmpty();
  }
}
