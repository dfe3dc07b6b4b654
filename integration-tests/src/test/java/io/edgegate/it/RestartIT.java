package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A gateway stopped and started again on the same data directory loses nothing it acknowledged. */
@ExtendWith(GatewayHygiene.class)
class RestartIT {
  @TempDir Path dir;

  @Test
  void stoppedMidStreamAndRestartedLosesNoAcknowledgedEvent() throws Exception {
    int devices = 5;
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      List<Device> first = new ArrayList<>();
      try (TestGateway gw = TestGateway.start(config)) {
        List<CompletableFuture<Integer>> sends = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
          Device device = Device.connect("dev-" + d, gw.mqttPort());
          first.add(device);
          sends.add(device.stream(0, 200, 100)); // publishes until the gateway goes away
        }
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> first.stream().mapToInt(d -> d.acked.size()).sum() >= 5000);
        gw.close(); // mid-stream: devices are still publishing
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      }
      int ackedBefore = first.stream().mapToInt(d -> d.acked.size()).sum();
      assertThat(ackedBefore).isGreaterThanOrEqualTo(5000);

      List<Device> second = new ArrayList<>();
      try (TestGateway gw = TestGateway.start(config)) {
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
          Device device = Device.connect("dev-" + d, gw.mqttPort());
          second.add(device);
          sends.add(device.publish(1_000_000, 1000, MqttQos.AT_LEAST_ONCE, 100));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        int total = ackedBefore + devices * 1000;
        List<ConsumerRecord<String, byte[]>> records =
            KafkaTopic.readUntil(
                kafka.bootstrapServers(),
                TestGateway.TOPIC,
                read -> everyAcknowledgedEventIsIn(read, first, second),
                Duration.ofSeconds(120),
                false);
        Map<String, List<Integer>> byDevice = Events.byDevice(records);
        for (int d = 0; d < devices; d++) {
          Set<Integer> inKafka = new HashSet<>(byDevice.get("dev-" + d));
          assertThat(inKafka).as("acknowledged before the stop").containsAll(first.get(d).acked);
          assertThat(inKafka).as("acknowledged after the restart").containsAll(second.get(d).acked);
        }
        Events.assertFirstAppearancesInOrder(byDevice);
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(KafkaTopic.header(r, "ce_id")));
        System.out.printf(
            "[measure] restart mid-stream: %d acknowledged, %d records in Kafka, %d distinct events,"
                + " %d re-sent copies (same ce_id)%n",
            total, records.size(), ids.size(), records.size() - ids.size());
        second.forEach(Device::close);
      }
    }
  }

  // Kafka is down while events are journaled.
  @ExpectedLogs(ExpectedLogs.KAFKA_SEND_FAILED)
  @Test
  void eventsJournaledWhileKafkaWasDownAreForwardedOnceAfterARestart() throws Exception {
    KafkaBroker kafka = KafkaBroker.notStarted(dir.resolve("kafka"));
    try (kafka) {
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      try (TestGateway gw = TestGateway.start(config)) {
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        List<Device> devices = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
          Device device = Device.connect("dev-" + d, gw.mqttPort());
          devices.add(device);
          sends.add(device.publish(0, 500, MqttQos.AT_LEAST_ONCE, 100));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(devices).allMatch(d -> d.acked.size() == 500);
        devices.forEach(Device::close);
      }
      kafka.startAgain();
      try (TestGateway gw = TestGateway.start(config)) {
        List<ConsumerRecord<String, byte[]>> records =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, 1500, Duration.ofSeconds(120));
        assertThat(records).hasSize(1500);
        Events.byDevice(records).values().forEach(seqs -> assertThat(seqs).isSorted().hasSize(500));
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.gateway.journal().backlog() == 0);
      }
      // A third start resumes after the checkpoint: nothing is sent again.
      try (TestGateway gw = TestGateway.start(config);
          Device device = Device.connect("dev-0", gw.mqttPort())) {
        assertThat(gw.gateway.journal().backlog()).isZero();
        device.publish(500, 1, MqttQos.AT_LEAST_ONCE, 0).get(30, TimeUnit.SECONDS);
        List<ConsumerRecord<String, byte[]>> records =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, 1501, Duration.ofSeconds(60));
        assertThat(records).hasSize(1501);
      }
    }
  }

  private static boolean everyAcknowledgedEventIsIn(
      List<ConsumerRecord<String, byte[]>> read, List<Device> first, List<Device> second) {
    Map<String, List<Integer>> byDevice = Events.byDevice(read);
    for (int d = 0; d < first.size(); d++) {
      List<Integer> seqs = byDevice.get("dev-" + d);
      if (seqs == null) {
        return false;
      }
      Set<Integer> in = new HashSet<>(seqs);
      if (!in.containsAll(first.get(d).acked) || !in.containsAll(second.get(d).acked)) {
        return false;
      }
    }
    return true;
  }
}
