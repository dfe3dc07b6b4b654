package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.kafka.embedded.FreePorts;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gateway process is killed with SIGKILL again and again while devices publish a steady QoS 1
 * stream; every PUBACK a device received is for an event that reaches Kafka, and a re-sent event
 * keeps its {@code ce_id}.
 */
@ExtendWith(GatewayHygiene.class)
class CrashLoopIT {
  private static final int DEVICES = 5;
  @TempDir Path dir;

  /**
   * At least once: 10 kills; every acknowledged event in Kafka, re-sent copies keep their ce_id.
   * Exactly once: 5 kills; a read_committed consumer sees every acknowledged event exactly once.
   */
  @ParameterizedTest
  @CsvSource({"at_least_once, 10", "exactly_once, 5"})
  void everyAcknowledgedEventSurvivesRepeatedKills(String delivery, int kills) throws Exception {
    boolean exactlyOnce = delivery.equals("exactly_once");
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      int mqttPort = FreePorts.one();
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(
          config,
          """
          gateway: {id: crash, dataDir: '%s'}
          mqtt: {host: 127.0.0.1, port: %d, auth: {anonymous: true}}
          journal: {sync: batch}
          kafka: {bootstrapServers: '%s', topic: %s}
          forward: {retryBackoffMax: 1s, metadataTimeout: 2s, delivery: %s}
          admin: {enabled: false}
          """
              .formatted(
                  dir.resolve("gw"),
                  mqttPort,
                  kafka.bootstrapServers(),
                  TestGateway.TOPIC,
                  delivery));

      Map<String, Set<Integer>> acked = new HashMap<>();
      int[] next = new int[DEVICES];
      for (int round = 0; round <= kills; round++) {
        try (GatewayProcess gw = GatewayProcess.start(config, dir.resolve("logs"), "gw-" + round)) {
          List<Device> devices = new ArrayList<>();
          List<CompletableFuture<Integer>> streams = new ArrayList<>();
          for (int d = 0; d < DEVICES; d++) {
            Device device = Device.connect("dev-" + d, mqttPort);
            devices.add(device);
            streams.add(device.stream(next[d], 50, 100));
          }
          int target = 1000 + round * 37; // vary the moment of the kill
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> devices.stream().mapToInt(x -> x.acked.size()).sum() >= target);
          if (round < kills) {
            gw.kill(); // mid-stream
            for (int d = 0; d < DEVICES; d++) {
              next[d] = streams.get(d).get(60, TimeUnit.SECONDS);
            }
          } else {
            // The last gateway lives: stop the devices cleanly and let the backlog drain.
            devices.forEach(Device::close);
            for (CompletableFuture<Integer> s : streams) {
              s.get(60, TimeUnit.SECONDS);
            }
          }
          for (Device device : devices) {
            acked.computeIfAbsent(device.id, k -> new HashSet<>()).addAll(device.acked);
          }
          if (round == kills) {
            int total = acked.values().stream().mapToInt(Set::size).sum();
            // Wait until Kafka holds every acknowledged event (re-sent copies may come too).
            List<ConsumerRecord<String, byte[]>> records =
                await()
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(
                        () ->
                            KafkaTopic.readAll(
                                kafka.bootstrapServers(),
                                TestGateway.TOPIC,
                                total,
                                Duration.ofSeconds(30)),
                        r -> containsAll(r, acked));
            Map<String, Set<String>> idsPerEvent = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : records) {
              idsPerEvent
                  .computeIfAbsent(r.key() + "#" + Events.seq(r), k -> new HashSet<>())
                  .add(KafkaTopic.header(r, "ce_id"));
            }
            assertThat(idsPerEvent.values())
                .as("a re-sent event keeps its ce_id")
                .allMatch(ids -> ids.size() == 1);
            Events.assertFirstAppearancesInOrder(Events.byDevice(records));
            if (exactlyOnce) {
              assertThat(records.size())
                  .as("read_committed records (exactly once: no copies)")
                  .isEqualTo(idsPerEvent.size());
            }
            System.out.printf(
                "[measure] %s, %d SIGKILLs under QoS 1 load: %d events acknowledged, %d of them in Kafka"
                    + " (0 lost), %d distinct events in Kafka (acknowledged or not), %d records"
                    + " (%d re-sent copies, same ce_id)%n",
                delivery,
                kills,
                total,
                total,
                idsPerEvent.size(),
                records.size(),
                records.size() - idsPerEvent.size());
            gw.stop();
          }
        }
      }
    }
  }

  private static boolean containsAll(
      List<ConsumerRecord<String, byte[]>> records, Map<String, Set<Integer>> acked) {
    Map<String, Set<Integer>> found = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      found.computeIfAbsent(r.key(), k -> new HashSet<>()).add(Events.seq(r));
    }
    return acked.entrySet().stream()
        .allMatch(e -> found.getOrDefault(e.getKey(), Set.of()).containsAll(e.getValue()));
  }
}
