package io.edgegate.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The at-least-once forward stage without a broker: Kafka's MockProducer answers when the test
 * says, the sender thread and the loop run their tasks when the test says, and time is virtual.
 */
@Timeout(5)
class ForwarderTest {
  private static final String TOPIC = "events";
  private static final Duration BACKOFF = Duration.ofMillis(100);
  private static final Duration BACKOFF_MAX = Duration.ofMillis(800);

  private final ManualLoop loop = new ManualLoop();
  private final ManualExecutor senderThread = new ManualExecutor();
  private final TestProducer producer = new TestProducer();
  private final List<TestProducer> replacements = new ArrayList<>();
  private final Stats stats = new Stats();
  private final List<Long> committed = new ArrayList<>();
  private final Map<Long, Outgoing> offered = new HashMap<>();
  private Forwarder forwarder;

  /** Counts what the forwarder reports. */
  static final class Stats implements ForwardStats {
    int forwarded;
    int retried;
    int expired;
    int replaced;
    final List<String> deadLettered = new ArrayList<>();
    final List<String> dropped = new ArrayList<>();
    Boolean available;

    @Override
    public void forwarded(long receivedAtMillis) {
      forwarded++;
    }

    @Override
    public void deadLettered(SendFailure reason) {
      deadLettered.add(reason.tag());
    }

    @Override
    public void dropped(ForwardDrop reason) {
      dropped.add(reason.tag());
    }

    @Override
    public void expired() {
      expired++;
    }

    @Override
    public void retried() {
      retried++;
    }

    @Override
    public void producerReplaced(ProducerReplacement reason) {
      replaced++;
    }

    @Override
    public void kafkaAvailable(boolean a) {
      available = a;
    }
  }

  @BeforeEach
  void setUp() {
    forwarder =
        new Forwarder(
            loop,
            producer,
            senderThread,
            () -> {
              TestProducer p = new TestProducer();
              replacements.add(p);
              return (Producer<String, byte[]>) p;
            },
            "dlq",
            Backoff.exact(BACKOFF, BACKOFF_MAX),
            stats,
            loop.clock(),
            this::committed,
            () -> {});
    loop.onLoop(() -> forwarder.watchForStalls(Duration.ofSeconds(5)));
  }

  /** The checkpoint moves forward only, and only over events that are settled. */
  private void committed(long index) {
    assertThat(committed.isEmpty() || index > last()).as("checkpoint moves forward").isTrue();
    for (Outgoing o : offered.values()) {
      if (o.index <= index) {
        assertThat(o.settled)
            .as("event %d under checkpoint %d is settled", o.index, index)
            .isTrue();
      }
    }
    committed.add(index);
  }

  private long last() {
    return committed.isEmpty() ? -1 : committed.get(committed.size() - 1);
  }

  private static Outgoing event(long index) {
    return event(index, 0);
  }

  private static Outgoing event(long index, long expiresAtMillis) {
    return new Outgoing(
        index,
        1,
        expiresAtMillis,
        10,
        new ProducerRecord<>(TOPIC, "dev-a", ("e" + index).getBytes(StandardCharsets.UTF_8)));
  }

  private void offer(Outgoing... batch) {
    for (Outgoing o : batch) {
      offered.put(o.index, o);
    }
    loop.onLoop(() -> forwarder.offer(List.of(batch)));
  }

  private void offerRange(int from, int to) {
    offer(IntStream.rangeClosed(from, to).mapToObj(i -> event(i)).toArray(Outgoing[]::new));
  }

  /** Lets the sender thread and the loop run until neither has work. */
  private void cycle() {
    while (senderThread.runAll() + loop.runTasks() > 0) {}
  }

  /** The first record to a topic goes alone; sends after it are batched. */
  private void proveTopic() {
    offer(event(0));
    cycle();
    producer.complete(1);
    cycle();
    assertThat(last()).isEqualTo(0);
  }

  private static List<String> values(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "e" + i).toList();
  }

  @Test
  void aBatchIsOneHandOffAndItsAnswersOneLoopTask() {
    proveTopic();
    offerRange(1, 100);
    assertThat(senderThread.queued()).as("hand-offs for 100 events").isEqualTo(1);
    senderThread.runAll();
    producer.complete(100);
    assertThat(loop.runTasks()).as("loop tasks for 100 answers").isEqualTo(1);
    assertThat(committed).containsExactly(0L, 100L);
    assertThat(forwarder.bufferedEvents()).isZero();
    assertThat(stats.forwarded).isEqualTo(101);
  }

  @Test
  void aMidBatchRetriableFailureKeepsJournalOrder() {
    proveTopic();
    producer.awayFor("e3"); // its metadata wait times out
    offerRange(1, 5);
    cycle();
    assertThat(producer.attempts)
        .as("the gate holds back what follows the failure")
        .containsExactlyElementsOf(values(0, 3));
    assertThat(forwarder.recovering()).isTrue();
    assertThat(stats.available).isFalse();

    producer.back();
    producer.complete(2); // e1, e2 were in the producer's buffer
    cycle();
    assertThat(last()).isEqualTo(2);
    loop.advance(BACKOFF.toMillis() - 1);
    cycle();
    assertThat(producer.attempts).hasSize(4);

    loop.advance(1);
    cycle();
    assertThat(producer.attempts.subList(4, producer.attempts.size()))
        .as("the first unsettled event goes alone, as a probe")
        .containsExactly("e3");
    producer.complete(1);
    cycle();
    producer.complete(2);
    cycle();
    assertThat(producer.delivered).containsExactlyElementsOf(values(0, 5));
    assertThat(last()).isEqualTo(5);
    assertThat(stats.retried).isEqualTo(1);
    assertThat(stats.available).isTrue();
    assertThat(forwarder.bufferedEvents()).isZero();
  }

  @Test
  void whileKafkaIsAwayOneProbeGoesPerBackoff() {
    proveTopic();
    producer.allAway();
    offerRange(1, 20);
    cycle();
    assertThat(producer.attempts).containsExactly("e0", "e1");
    int attempts = producer.attempts.size();
    for (long wait : new long[] {100, 200, 400, 800, 800}) {
      loop.advance(wait - 1);
      cycle();
      assertThat(producer.attempts).as("before the %d ms backoff ends", wait).hasSize(attempts);
      loop.advance(1);
      cycle();
      attempts++;
      assertThat(producer.attempts).as("after the %d ms backoff", wait).hasSize(attempts);
      assertThat(producer.attempts.get(attempts - 1)).isEqualTo("e1");
    }
    assertThat(last()).isEqualTo(0);
    assertThat(forwarder.bufferedEvents()).isEqualTo(20);

    producer.back();
    loop.advance(800);
    cycle();
    producer.complete(1); // the probe
    loop.runTasks();
    assertThat(senderThread.queued()).as("the rest goes as one run").isEqualTo(1);
    cycle();
    producer.complete(19);
    cycle();
    assertThat(producer.delivered).containsExactlyElementsOf(values(0, 20));
    assertThat(last()).isEqualTo(20);
    assertThat(stats.retried).isEqualTo(6);
  }

  @Test
  void aDeadLetterThatKafkaRefusesTooIsDroppedAndSettled() {
    proveTopic();
    offerRange(1, 2);
    cycle();
    producer.errorNext(new RecordTooLargeException("too large")); // e1
    producer.complete(1); // e2
    cycle();
    assertThat(last()).as("e1 is not settled yet").isEqualTo(0);
    ProducerRecord<String, byte[]> dead = producer.history().get(producer.history().size() - 1);
    assertThat(dead.topic()).isEqualTo("dlq");
    assertThat(
            new String(
                dead.headers().lastHeader("edgegate_dlq_reason").value(), StandardCharsets.UTF_8))
        .isEqualTo("record-too-large");

    producer.errorNext(new TopicAuthorizationException("dlq"));
    cycle();
    assertThat(stats.deadLettered).containsExactly("record-too-large");
    assertThat(stats.dropped).containsExactly("dead-letter-refused");
    assertThat(last()).isEqualTo(2);
    loop.advance(10_000);
    cycle();
    assertThat(producer.attempts).as("never retried").hasSize(4);
    assertThat(forwarder.bufferedEvents()).isZero();
  }

  @Test
  void expiredEventsAreSettledUnsentAlsoAfterAnOutage() {
    proveTopic();
    long now = loop.millis();
    producer.allAway();
    offer(event(1, now + 50), event(2, now - 1), event(3));
    cycle();
    assertThat(stats.expired).as("expired at its turn: e2").isEqualTo(1);
    assertThat(last()).as("e1 failed: nothing passes it").isEqualTo(0);

    producer.back();
    loop.advance(BACKOFF.toMillis()); // e1 has expired meanwhile
    cycle();
    assertThat(stats.expired).isEqualTo(2);
    producer.complete(1);
    cycle();
    assertThat(producer.delivered).containsExactly("e0", "e3");
    assertThat(last()).isEqualTo(3);
    assertThat(stats.forwarded).isEqualTo(2);
  }

  @Test
  void theCheckpointWaitsForTheOldestUnsettledEvent() {
    proveTopic();
    offerRange(1, 4);
    offer(Outgoing.skipped(5));
    cycle();
    producer.errorNext(new RecordTooLargeException("too large")); // e1 to the dead letters
    producer.complete(3); // e2..e4 acknowledged first
    cycle();
    assertThat(last()).isEqualTo(0);
    assertThat(forwarder.bufferedEvents()).isEqualTo(5);
    producer.complete(1); // e1's dead letter
    cycle();
    assertThat(last()).isEqualTo(5);
    assertThat(stats.forwarded).as("a dead letter is not counted as forwarded").isEqualTo(4);
  }

  @Test
  void inFlightBytesAreBounded() {
    loop.onLoop(() -> forwarder.maxInFlightBytes(3 * (5 + 2))); // key and value of 3 records
    proveTopic();
    offerRange(1, 9);
    cycle();
    assertThat(producer.attempts).hasSize(4);
    producer.complete(1);
    cycle();
    assertThat(producer.attempts).hasSize(5);
    producer.complete(3);
    cycle();
    assertThat(producer.attempts).hasSize(8);
    producer.complete(3);
    cycle();
    assertThat(producer.attempts).hasSize(10);
    producer.complete(2);
    cycle();
    assertThat(producer.delivered).containsExactlyElementsOf(values(0, 9));
    assertThat(last()).isEqualTo(9);
  }

  @Test
  void closeCountsWhatTheProducerDeliversWhileClosing() {
    proveTopic();
    offerRange(1, 3);
    cycle();
    Future<Void>[] closed = closeForwarder();
    offerRange(4, 5);
    loop.runTasks();
    assertThat(closed[0].isComplete()).isFalse();
    producer.complete(3); // the producer's close flushes what it holds
    cycle();
    assertThat(closed[0].succeeded()).isTrue();
    assertThat(producer.closed()).isTrue();
    assertThat(last()).isEqualTo(3);
    assertThat(stats.forwarded).isEqualTo(4);
    assertThat(producer.attempts)
        .as("nothing sent after close")
        .containsExactly("e0", "e1", "e2", "e3");
    assertThat(loop.pendingTimers()).isZero();
  }

  @Test
  void closeDoesNotWaitForAnswersThatNeverCome() {
    proveTopic();
    producer.allAway();
    offerRange(1, 3);
    cycle();
    assertThat(loop.pendingTimers()).isEqualTo(1);
    Future<Void>[] closed = closeForwarder();
    cycle();
    assertThat(closed[0].succeeded()).isTrue();
    assertThat(loop.pendingTimers()).as("the retry timer is cancelled").isZero();
    assertThat(last()).isEqualTo(0);
    assertThat(forwarder.bufferedEvents()).as("they stay in the journal").isEqualTo(3);
  }

  @SuppressWarnings("unchecked")
  private Future<Void>[] closeForwarder() {
    Future<Void>[] closed = new Future[1];
    loop.onLoop(() -> closed[0] = forwarder.close(Duration.ofSeconds(10)));
    return closed;
  }

  @Test
  void kafkaCountsAsUnavailableWhileTheOldestSendWaitsTooLong() {
    proveTopic();
    offerRange(1, 2);
    cycle();
    loop.advance(5_000);
    assertThat(stats.available).as("within forward.unavailableAfter").isTrue();
    loop.advance(1_000);
    assertThat(stats.available).as("no answer for over 5 s").isFalse();
    producer.complete(2);
    cycle();
    assertThat(stats.available).isTrue();
    assertThat(last()).isEqualTo(2);
  }

  @Test
  void aSequenceErrorThatClearsKeepsTheProducer() {
    proveTopic();
    offer(event(1));
    cycle();
    producer.errorNext(new OutOfOrderSequenceException("out of order"));
    cycle();
    loop.advance(BACKOFF.toMillis());
    cycle();
    producer.complete(1);
    cycle();
    assertThat(last()).isEqualTo(1);
    assertThat(replacements).isEmpty();
    assertThat(stats.replaced).isZero();
  }

  @Test
  void aSequenceErrorThatDoesNotClearReplacesTheProducer() {
    proveTopic();
    offerRange(1, 3);
    cycle();
    producer.errorNext(new OutOfOrderSequenceException("out of order"));
    producer.errorNext(new OutOfOrderSequenceException("out of order"));
    producer.errorNext(new OutOfOrderSequenceException("out of order"));
    cycle();
    loop.advance(BACKOFF.toMillis());
    cycle();
    producer.errorNext(new OutOfOrderSequenceException("out of order")); // the probe: again
    cycle();
    assertThat(stats.available).isFalse();
    assertThat(replacements).isEmpty();

    loop.advance(2 * BACKOFF.toMillis());
    cycle();
    assertThat(producer.closed()).as("the stuck producer is closed").isTrue();
    assertThat(replacements).hasSize(1);
    TestProducer fresh = replacements.get(0);
    assertThat(fresh.attempts).as("re-sent from the first unsettled event").containsExactly("e1");
    assertThat(stats.available).as("degraded while it lasts").isFalse();
    fresh.complete(1);
    cycle();
    fresh.complete(2);
    cycle();
    assertThat(fresh.delivered).containsExactly("e1", "e2", "e3");
    assertThat(last()).isEqualTo(3);
    assertThat(stats.replaced).isEqualTo(1);
    assertThat(stats.available).isTrue();
    assertThat(Arrays.asList(producer.closed(), fresh.closed())).containsExactly(true, false);
  }
}
