package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.gateway.config.ForwardConfig;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults of a real 3-broker KRaft cluster (replication factor 3, {@code min.insync.replicas=2})
 * while devices publish a steady QoS 1 stream into one gateway: every acknowledged event reaches
 * Kafka, each device's order holds, exactly-once leaves no copy for a {@code read_committed}
 * consumer, and the gateway recovers by itself — no restart — with its metrics telling the story.
 */
@ExtendWith(GatewayHygiene.class)
// Each test stops brokers of the cluster, or leaves too few in sync.
@ExpectedLogs({
  ExpectedLogs.KAFKA_SEND_FAILED,
  ExpectedLogs.EXACTLY_ONCE_FAILED,
  ExpectedLogs.KAFKA_STALLED
})
class KafkaClusterFaultIT {
  private static final int DEVICES = 4;
  private static final int PARTITIONS = 3;
  // Events the devices have acknowledged while the ISR is below min.insync.replicas.
  private static final int ISR_OUTAGE_EVENTS = 5000;
  private static final Duration WAIT = Duration.ofSeconds(90);
  // Leadership moves of every partition, each after Kafka took 300 more events.
  private static final int LEADER_MOVES = 6;
  // Each device publishes CHUNK events, waits for their PUBACKs, pauses PAUSE: at most 4 x 25 per
  // 100 ms = 1,000 events/s, a steady load that leaves the six Kafka nodes CPU on two cores and
  // keeps the records read back well inside the test JVM's heap.
  private static final int CHUNK = 25;
  private static final Duration PAUSE = Duration.ofMillis(100);
  // A backlog this small is what is normally in flight: every device's chunk, twice.
  private static final long IN_FLIGHT = 2L * DEVICES * CHUNK;

  @TempDir Path dir;

  enum Fault {
    /** The leader of partition 0 of the events topic stops; another replica takes over. */
    LEADER_STOPPED,
    /** The active controller stops, the two others elect a new one; then it comes back. */
    ACTIVE_CONTROLLER_STOPPED,
    /** Each broker is stopped and started again in turn, the next once the ISR is full again. */
    ROLLING_RESTART,
    /** Two brokers stop: the ISR is below min.insync.replicas, Kafka refuses every write. */
    ISR_BELOW_MIN,
    /**
     * The topic is created by the first delivery, under load, and then the leadership of every
     * partition moves between the running brokers, again and again: the producer's sequence state
     * per partition must follow (a sequence error that does not clear replaces the producer).
     */
    LEADERS_MOVED_AFTER_AUTO_CREATE
  }

  static Stream<Arguments> scenarios() {
    return Stream.of(
        arguments(Fault.LEADER_STOPPED, ForwardConfig.Delivery.AT_LEAST_ONCE),
        arguments(Fault.ACTIVE_CONTROLLER_STOPPED, ForwardConfig.Delivery.AT_LEAST_ONCE),
        arguments(Fault.ROLLING_RESTART, ForwardConfig.Delivery.EXACTLY_ONCE),
        arguments(Fault.ISR_BELOW_MIN, ForwardConfig.Delivery.AT_LEAST_ONCE),
        arguments(Fault.ISR_BELOW_MIN, ForwardConfig.Delivery.EXACTLY_ONCE),
        arguments(Fault.LEADERS_MOVED_AFTER_AUTO_CREATE, ForwardConfig.Delivery.AT_LEAST_ONCE));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("scenarios")
  void acknowledgedEventsSurviveClusterFaultsInOrder(Fault fault, ForwardConfig.Delivery delivery)
      throws Exception {
    boolean exactlyOnce = delivery == ForwardConfig.Delivery.EXACTLY_ONCE;
    try (KafkaCluster kafka = KafkaCluster.start(dir.resolve("kafka"))) {
      if (fault != Fault.LEADERS_MOVED_AFTER_AUTO_CREATE) {
        kafka.createTopic(TestGateway.TOPIC, PARTITIONS);
      }
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      config.forward.delivery = delivery;
      try (TestGateway gw = TestGateway.start(config);
          Trail trail = new Trail(gw)) {
        AtomicBoolean stop = new AtomicBoolean();
        List<Device> devices = new ArrayList<>();
        List<CompletableFuture<Integer>> streams = new ArrayList<>();
        for (int d = 0; d < DEVICES; d++) {
          Device device = Device.connect("dev-" + d, gw.mqttPort());
          devices.add(device);
          streams.add(paced(device, 0, stop));
        }
        await().atMost(WAIT).until(() -> acked(devices) >= 1000);
        await().atMost(WAIT).until(() -> gw.counter("edgegate.events.forwarded") >= 500);
        double retriesBefore = gw.counter("edgegate.forward.retries");
        trail.reset();

        long faultStart = System.nanoTime();
        Outcome outcome = inject(fault, kafka, gw, devices, trail);
        long faultMillis = millisSince(faultStart);

        // Recovered without a restart: the backlog is back to what is normally in flight.
        await().atMost(WAIT).until(() -> trail.drainedMillis.get() >= 0);
        int atRecovery = acked(devices);
        await().atMost(WAIT).until(() -> acked(devices) >= atRecovery + 500);

        stop.set(true);
        CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> gw.gateway.journal().backlog() == 0);
        int total = acked(devices);
        List<ConsumerRecord<String, byte[]>> records =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, total, WAIT, exactlyOnce);

        Map<String, List<Integer>> byDevice = Events.byDevice(records);
        for (Device device : devices) {
          assertThat(new HashSet<>(byDevice.getOrDefault(device.id, List.of())))
              .as("acknowledged events of %s in Kafka", device.id)
              .containsAll(device.acked);
        }
        Events.assertFirstAppearancesInOrder(byDevice);
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(KafkaTopic.header(r, "ce_id")));
        if (exactlyOnce) {
          assertThat(records).as("read_committed: each event once").hasSize(ids.size());
        }
        double retries = gw.counter("edgegate.forward.retries") - retriesBefore;
        assertThat(gw.gateway.metrics().kafkaAvailable()).as("kafka.available at the end").isTrue();
        assertThat(gauge(gw, "edgegate.kafka.available")).isEqualTo(1.0);
        if (fault == Fault.ISR_BELOW_MIN) {
          // Kafka took nothing while the ISR was short: the journal held every event the devices
          // had acknowledged meanwhile, and the health figures showed it.
          assertThat(outcome.heldInJournal)
              .as("backlog when the brokers came back")
              .isGreaterThanOrEqualTo(ISR_OUTAGE_EVENTS);
          assertThat(trail.maxBacklog.get()).isGreaterThanOrEqualTo(ISR_OUTAGE_EVENTS);
          assertThat(trail.maxOldestAgeMillis.get())
              .as("edgegate.backlog.oldest.age grew while Kafka refused writes")
              .isGreaterThanOrEqualTo(2000);
          assertThat(trail.minAvailable.get())
              .as("edgegate.kafka.available fell to 0 while Kafka acknowledged nothing")
              .isZero();
        }
        System.out.printf(
            "[measure] cluster fault %s (%s): %d acknowledged (%d during the fault), %d records,"
                + " %d distinct, %d copies, 0 lost; fault lasted %d ms; backlog drained %d ms after"
                + " the heal began; Kafka acknowledged nothing for at most %d ms; backlog peak %d,"
                + " oldest unforwarded age peak %d ms; kafka.available min %d; forward.retries"
                + " +%.0f; producer replacements %.0f%n",
            fault,
            delivery,
            total,
            outcome.ackedDuringFault,
            records.size(),
            ids.size(),
            records.size() - ids.size(),
            faultMillis,
            trail.drainedMillis.get(),
            trail.maxStallMillis.get(),
            trail.maxBacklog.get(),
            trail.maxOldestAgeMillis.get(),
            trail.minAvailable.get(),
            retries,
            gw.counter("edgegate.forward.producer.replacements"));
        devices.forEach(Device::close);
      }
    }
  }

  /**
   * @param ackedDuringFault events the devices had acknowledged from the fault until it was healed
   * @param heldInJournal the gateway's backlog just before the cluster was whole again
   */
  private record Outcome(int ackedDuringFault, long heldInJournal) {}

  /** Injects the fault and heals it, under load. */
  private static Outcome inject(
      Fault fault, KafkaCluster kafka, TestGateway gw, List<Device> devices, Trail trail)
      throws Exception {
    int before = acked(devices);
    long held = -1;
    switch (fault) {
      case LEADER_STOPPED -> {
        int leader = kafka.leaderOf(TestGateway.TOPIC, 0);
        kafka.stop(leader);
        // A new leader takes writes: Kafka acknowledges events again while the old one is away.
        double forwarded = gw.counter("edgegate.events.forwarded");
        await()
            .atMost(WAIT)
            .until(() -> gw.counter("edgegate.events.forwarded") >= forwarded + 1000);
        assertThat(kafka.leaderOf(TestGateway.TOPIC, 0)).isNotEqualTo(leader);
        trail.healing();
        kafka.start(leader);
        kafka.awaitFullIsr(TestGateway.TOPIC);
      }
      case ACTIVE_CONTROLLER_STOPPED -> {
        int controller = kafka.activeController();
        kafka.stop(controller);
        await().atMost(WAIT).ignoreExceptions().until(() -> kafka.activeController() != controller);
        double forwarded = gw.counter("edgegate.events.forwarded");
        await()
            .atMost(WAIT)
            .until(() -> gw.counter("edgegate.events.forwarded") >= forwarded + 1000);
        long restarted = System.currentTimeMillis();
        trail.healing();
        kafka.start(controller);
        // Back in the quorum: the new leader saw it catch up after its restart.
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(
                () ->
                    kafka.quorum().voters().stream()
                        .filter(v -> v.replicaId() == controller)
                        .anyMatch(v -> v.lastCaughtUpTimestamp().orElse(0) > restarted));
      }
      case ROLLING_RESTART -> {
        for (int broker : KafkaCluster.BROKER_IDS) {
          kafka.stop(broker);
          if (broker == KafkaCluster.BROKER_IDS.get(KafkaCluster.BROKERS - 1)) {
            trail.healing();
          }
          kafka.start(broker);
          kafka.awaitFullIsr(TestGateway.TOPIC);
        }
      }
      case LEADERS_MOVED_AFTER_AUTO_CREATE -> {
        kafka.awaitFullIsr(TestGateway.TOPIC);
        for (int round = 0; round < LEADER_MOVES; round++) {
          if (round == LEADER_MOVES - 1) {
            trail.healing();
          }
          kafka.moveLeaders(TestGateway.TOPIC);
          double forwarded = gw.counter("edgegate.events.forwarded");
          await()
              .atMost(WAIT)
              .until(() -> gw.counter("edgegate.events.forwarded") >= forwarded + 300);
        }
      }
      case ISR_BELOW_MIN -> {
        int keep = kafka.leaderOf(TestGateway.TOPIC, 0);
        List<Integer> stopped = new ArrayList<>();
        for (int broker : KafkaCluster.BROKER_IDS) {
          if (broker != keep) {
            kafka.stop(broker);
            stopped.add(broker);
          }
        }
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(
                () ->
                    kafka.describe(TestGateway.TOPIC).partitions().stream()
                        .allMatch(p -> p.isr().size() < 2));
        // Devices go on being acknowledged: the gateway journals what Kafka refuses.
        int atOutage = acked(devices);
        await().atMost(WAIT).until(() -> acked(devices) >= atOutage + ISR_OUTAGE_EVENTS);
        held = gw.gateway.journal().backlog();
        trail.healing();
        for (int broker : stopped) {
          kafka.start(broker);
        }
        kafka.awaitFullIsr(TestGateway.TOPIC);
      }
    }
    return new Outcome(acked(devices) - before, held);
  }

  /**
   * Publishes from {@code seq} in chunks, each after the previous one was acknowledged and a pause,
   * until a publish is not acknowledged or {@code stop} is set; completes with the next sequence
   * number. The pause paces the load; nothing waits on it.
   */
  private static CompletableFuture<Integer> paced(Device device, int seq, AtomicBoolean stop) {
    int before = device.acked.size();
    return device
        .publish(seq, CHUNK, MqttQos.AT_LEAST_ONCE, 100)
        .thenCompose(
            v ->
                device.acked.size() - before == CHUNK && !stop.get()
                    ? CompletableFuture.runAsync(
                            () -> {},
                            CompletableFuture.delayedExecutor(
                                PAUSE.toMillis(), TimeUnit.MILLISECONDS))
                        .thenCompose(x -> paced(device, seq + CHUNK, stop))
                    : CompletableFuture.completedFuture(seq + CHUNK));
  }

  private static double gauge(TestGateway gw, String name) {
    Gauge g = gw.gateway.metrics().registry().find(name).gauge();
    assertThat(g).as("gauge %s", name).isNotNull();
    return g.value();
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  private static int acked(List<Device> devices) {
    return devices.stream().mapToInt(d -> d.acked.size()).sum();
  }

  /**
   * Samples the gateway's health figures every 20 ms, as an operator's dashboard would show them
   * (observation only: nothing waits on it). Fields are written by the sampler thread, read by the
   * test thread at the end.
   */
  private static final class Trail implements AutoCloseable {
    final AtomicLong maxBacklog = new AtomicLong();
    final AtomicLong minAvailable = new AtomicLong(1);
    final AtomicLong maxOldestAgeMillis = new AtomicLong();
    // the longest time Kafka acknowledged nothing (edgegate.events.forwarded did not move)
    final AtomicLong maxStallMillis = new AtomicLong();
    // from the start of the heal until the backlog was back to what is normally in flight
    final AtomicLong drainedMillis = new AtomicLong(-1);
    private final TestGateway gw;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private volatile long healedAt; // System.nanoTime(), 0 before the heal
    private double lastForwarded = -1; // sampler thread only
    private long lastChange; // sampler thread only

    Trail(TestGateway gw) {
      this.gw = gw;
      sampler.scheduleAtFixedRate(this::sample, 0, 20, TimeUnit.MILLISECONDS);
    }

    private void sample() {
      long now = System.nanoTime();
      long backlog = gw.gateway.journal().backlog();
      maxBacklog.accumulateAndGet(backlog, Math::max);
      minAvailable.accumulateAndGet((long) gauge(gw, "edgegate.kafka.available"), Math::min);
      double age = gauge(gw, "edgegate.backlog.oldest.age");
      if (!Double.isNaN(age)) {
        maxOldestAgeMillis.accumulateAndGet((long) (age * 1000), Math::max);
      }
      double forwarded = gw.counter("edgegate.events.forwarded");
      if (forwarded != lastForwarded) {
        lastForwarded = forwarded;
        lastChange = now;
      } else {
        maxStallMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(now - lastChange), Math::max);
      }
      long healed = healedAt;
      if (healed != 0 && drainedMillis.get() < 0 && backlog <= IN_FLIGHT) {
        drainedMillis.set(TimeUnit.NANOSECONDS.toMillis(now - healed));
      }
    }

    /** Starts the figures afresh, once the load is steady. */
    void reset() {
      maxBacklog.set(0);
      minAvailable.set(1);
      maxOldestAgeMillis.set(0);
      maxStallMillis.set(0);
    }

    /** The cluster is being made whole: from now on, time until the backlog is drained. */
    void healing() {
      healedAt = System.nanoTime();
    }

    @Override
    public void close() throws InterruptedException {
      sampler.shutdownNow();
      sampler.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
