package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.kafka.embedded.FreePorts;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet: several gateways, each with its own journal and gateway id, publishing into the same
 * topic. Devices are split across them; one device moves from one gateway to another.
 */
@ExtendWith(GatewayHygiene.class)
class ManyGatewaysIT {
  private static final int GATEWAYS = 3;
  private static final int DEVICES_PER_GATEWAY = 3;
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void gatewaysSharingATopicKeepEachDevicesOrderWithFleetWideUniqueIds() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      List<TestGateway> gateways = new ArrayList<>();
      List<Device> devices = new ArrayList<>();
      Map<String, String> siteOf = new HashMap<>();
      try {
        for (int g = 0; g < GATEWAYS; g++) {
          gateways.add(TestGateway.start(site(g, kafka.bootstrapServers())));
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<Integer>> streams = new ArrayList<>();
        for (int g = 0; g < GATEWAYS; g++) {
          for (int d = 0; d < DEVICES_PER_GATEWAY; d++) {
            String id = "dev-" + g + "-" + d;
            Device device = Device.connect(id, gateways.get(g).mqttPort());
            devices.add(device);
            siteOf.put(id, siteId(g));
            streams.add(device.stream(0, 50, 100, stop));
          }
        }
        await().atMost(WAIT).until(() -> acked(devices) >= 15_000);
        stop.set(true);
        CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (TestGateway gw : gateways) {
          await().atMost(WAIT).until(() -> gw.gateway.journal().backlog() == 0);
        }
        int total = acked(devices);
        List<ConsumerRecord<String, byte[]>> records =
            KafkaTopic.readAll(kafka.bootstrapServers(), TestGateway.TOPIC, total, WAIT);

        Map<String, List<Integer>> byDevice = Events.byDevice(records);
        for (Device device : devices) {
          assertThat(byDevice.get(device.id))
              .as("%s: each acknowledged event exactly once", device.id)
              .hasSize(device.acked.size())
              .containsExactlyInAnyOrderElementsOf(device.acked);
        }
        Events.assertFirstAppearancesInOrder(byDevice);
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : records) {
          assertThat(ids.add(KafkaTopic.header(r, "ce_id"))).as("ce_id unique fleet-wide").isTrue();
          assertThat(KafkaTopic.header(r, "ce_source"))
              .isEqualTo("edgegate://" + siteOf.get(r.key()) + "/" + r.key());
        }
        System.out.printf(
            "[measure] %d gateways, %d devices into one topic: %d acknowledged, %d records, %d"
                + " distinct ce_id, 0 lost, 0 copies, per-device order kept%n",
            GATEWAYS, devices.size(), total, records.size(), ids.size());
        // Journal disk per event, for capacity planning (payloads here: ~130 bytes of JSON). The
        // gauge is refreshed every second; du measures the files now (they are sparse: blocks).
        for (TestGateway gw : gateways) {
          double journaled = gw.counter("edgegate.events.journaled");
          long onDisk = diskUsage(gw.gateway.journal().dir());
          System.out.printf(
              "[measure] journal of %s: %.0f events, %d bytes on disk, %.0f bytes per event%n",
              gw.gateway.config().gateway.id, journaled, onDisk, onDisk / journaled);
        }
      } finally {
        devices.forEach(Device::close);
        for (TestGateway gw : gateways) {
          gw.close();
        }
      }
    }
  }

  /**
   * The safe move: the device leaves gateway A, and reconnects to gateway B only once A has
   * forwarded everything it acknowledged (its backlog is 0). Kafka then holds A's events before
   * B's: the device's order holds across the move.
   */
  @Test
  void aDeviceMovingAfterItsFirstGatewayForwardedKeepsItsOrder() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
        TestGateway a = TestGateway.start(site(0, kafka.bootstrapServers()));
        TestGateway b = TestGateway.start(site(1, kafka.bootstrapServers()))) {
      Device first = Device.connect("roamer", a.mqttPort());
      first.publish(0, 500, MqttQos.AT_LEAST_ONCE, 100).get(60, TimeUnit.SECONDS);
      first.close();
      await().atMost(WAIT).until(() -> a.gateway.journal().backlog() == 0);

      Device second = Device.connect("roamer", b.mqttPort());
      second.publish(500, 500, MqttQos.AT_LEAST_ONCE, 100).get(60, TimeUnit.SECONDS);
      second.close();
      assertThat(first.acked.size() + second.acked.size()).isEqualTo(1000);
      await().atMost(WAIT).until(() -> b.gateway.journal().backlog() == 0);

      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(kafka.bootstrapServers(), TestGateway.TOPIC, 1000, WAIT);
      assertThat(Events.byDevice(records).get("roamer"))
          .as("Kafka order of the device's events across the move")
          .containsExactlyElementsOf(IntStream.range(0, 1000).boxed().toList());
    }
  }

  /**
   * The unsafe move: gateway A acknowledged events it could not forward yet (its Kafka link is
   * down) when the device moved to B. B's events reach Kafka first; A's follow once A reaches Kafka
   * again. Nothing is lost, but the device's order across the move is not Kafka's order; {@code
   * ce_time} (receive time at each gateway) still tells the order, as far as the gateways' clocks
   * agree.
   */
  // Gateway A's Kafka link is cut.
  @ExpectedLogs(ExpectedLogs.KAFKA_SEND_FAILED)
  @Test
  void aDeviceMovingBeforeItsFirstGatewayForwardedIsOvertakenButNothingIsLost() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
        TestGateway b = TestGateway.start(site(1, kafka.bootstrapServers()))) {
      // Gateway A with its Kafka link down: nothing listens at its bootstrap address.
      GatewayConfig cut = site(0, "127.0.0.1:" + FreePorts.one());
      try (TestGateway a = TestGateway.start(cut)) {
        Device first = Device.connect("roamer", a.mqttPort());
        first.publish(0, 100, MqttQos.AT_LEAST_ONCE, 100).get(60, TimeUnit.SECONDS);
        first.close();
        assertThat(first.acked).hasSize(100);
        assertThat(a.gateway.journal().backlog()).isEqualTo(100);
      }

      Device second = Device.connect("roamer", b.mqttPort());
      second.publish(100, 100, MqttQos.AT_LEAST_ONCE, 100).get(60, TimeUnit.SECONDS);
      second.close();
      await().atMost(WAIT).until(() -> b.gateway.journal().backlog() == 0);

      // A's link comes back (here: A starts again on its journal, now reaching Kafka).
      GatewayConfig healed = site(0, kafka.bootstrapServers());
      healed.gateway.dataDir = cut.gateway.dataDir;
      try (TestGateway again = TestGateway.start(healed)) {
        await().atMost(WAIT).until(() -> again.gateway.journal().backlog() == 0);
      }

      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(kafka.bootstrapServers(), TestGateway.TOPIC, 200, WAIT);
      List<Integer> kafkaOrder = Events.byDevice(records).get("roamer");
      assertThat(kafkaOrder)
          .as("every acknowledged event, once")
          .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 200).boxed().toList());
      assertThat(kafkaOrder)
          .as("B's events (100..199) overtook A's (0..99) in Kafka")
          .containsExactlyElementsOf(
              IntStream.concat(IntStream.range(100, 200), IntStream.range(0, 100))
                  .boxed()
                  .toList());
      List<Integer> byReceiveTime =
          records.stream()
              .sorted(Comparator.comparing(r -> Instant.parse(KafkaTopic.header(r, "ce_time"))))
              .map(Events::seq)
              .toList();
      assertThat(byReceiveTime)
          .as("ordered by ce_time, the device's order is back")
          .containsExactlyElementsOf(IntStream.range(0, 200).boxed().toList());
    }
  }

  private GatewayConfig site(int g, String bootstrapServers) {
    GatewayConfig c = TestGateway.config(dir.resolve("gw-" + g), bootstrapServers);
    c.gateway.id = siteId(g);
    return c;
  }

  private static String siteId(int g) {
    return "site-" + (char) ('a' + g);
  }

  /** Bytes the files under {@code dir} occupy on disk (du: allocated blocks, not lengths). */
  private static long diskUsage(Path dir) throws Exception {
    Process du =
        new ProcessBuilder("du", "-s", "--block-size=1", dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(du.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return Long.parseLong(out.trim().split("\\s+")[0]);
  }

  private static int acked(List<Device> devices) {
    return devices.stream().mapToInt(d -> d.acked.size()).sum();
  }
}
