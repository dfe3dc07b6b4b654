package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backpressure: with Kafka unreachable the journal takes the whole backlog, devices keep getting
 * acknowledgements, and the gateway's memory does not grow with the backlog; when Kafka comes, the
 * backlog drains completely and in order.
 */
@ExtendWith(GatewayHygiene.class)
// Kafka is down on purpose.
@ExpectedLogs({ExpectedLogs.KAFKA_SEND_FAILED, ExpectedLogs.KAFKA_STALLED})
class KafkaOutageIT {
  @TempDir Path dir;

  @Test
  void fiftyThousandEventsAreAcknowledgedWhileKafkaIsDownWithBoundedMemoryThenAllDelivered()
      throws Exception {
    int devices = 10;
    int perDevice = 5000;
    int payloadBytes = 1024;
    KafkaBroker kafka = KafkaBroker.notStarted(dir.resolve("kafka"));
    var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
    config.forward.maxBufferedEvents = 1000;
    try (kafka;
        TestGateway gw = TestGateway.start(config)) {
      List<Device> clients = new ArrayList<>();
      for (int d = 0; d < devices; d++) {
        clients.add(Device.connect("dev-" + d, gw.mqttPort()));
      }
      long heapBefore = heapAfterGc();
      AtomicLong maxInMemory = new AtomicLong();
      AtomicBoolean sampling = new AtomicBoolean(true);
      Thread sampler =
          new Thread(
              () -> {
                while (sampling.get()) {
                  maxInMemory.accumulateAndGet(gw.gateway.pipelineInMemory(), Math::max);
                  java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                }
              });
      sampler.start();

      long start = System.nanoTime();
      List<CompletableFuture<Void>> sends = new ArrayList<>();
      for (Device c : clients) {
        sends.add(c.publish(0, perDevice, MqttQos.AT_LEAST_ONCE, payloadBytes));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
      double ingestSeconds = (System.nanoTime() - start) / 1e9;
      for (Device c : clients) {
        assertThat(c.acked).as("acknowledged to %s while Kafka is down", c.id).hasSize(perDevice);
      }
      assertThat(gw.gateway.journal().backlog()).isEqualTo((long) devices * perDevice);
      long heapDuring = heapAfterGc();
      System.out.printf(
          "[measure] Kafka down: %d x %d B events acknowledged in %.1f s (%.0f/s); heap after GC"
              + " %d MiB before, %d MiB with the backlog journaled; pipeline held at most %d events%n",
          devices * perDevice,
          payloadBytes,
          ingestSeconds,
          devices * perDevice / ingestSeconds,
          heapBefore >> 20,
          heapDuring >> 20,
          maxInMemory.get());
      // 50,000 KiB-sized events are ~50 MiB: held in memory, they would show here.
      assertThat(heapDuring - heapBefore).as("heap growth with the backlog").isLessThan(24L << 20);

      long drainStart = System.nanoTime();
      kafka.startAgain();
      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(
              kafka.bootstrapServers(),
              TestGateway.TOPIC,
              devices * perDevice,
              Duration.ofSeconds(240));
      double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
      sampling.set(false);
      sampler.join();
      System.out.printf(
          "[measure] Kafka back: %d events drained in %.1f s (%.0f/s, %.1fx the ingest rate)%n",
          records.size(),
          drainSeconds,
          records.size() / drainSeconds,
          (records.size() / drainSeconds) / (devices * perDevice / ingestSeconds));

      assertThat(maxInMemory.get())
          .as("events the pipeline held")
          .isLessThanOrEqualTo(config.forward.maxBufferedEvents);
      Set<String> ids = new HashSet<>();
      records.forEach(r -> ids.add(KafkaTopic.header(r, "ce_id")));
      assertThat(ids).as("distinct events delivered").hasSize(devices * perDevice);
      var byDevice = Events.byDevice(records);
      Events.assertFirstAppearancesInOrder(byDevice);
      byDevice.forEach((device, seqs) -> assertThat(new HashSet<>(seqs)).hasSize(perDevice));
      await().atMost(Duration.ofSeconds(30)).until(() -> gw.gateway.journal().backlog() == 0);
      for (Device c : clients) {
        c.close();
      }
    }
  }

  private static long heapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
