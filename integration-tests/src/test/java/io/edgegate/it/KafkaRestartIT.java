package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.config.ForwardConfig;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Kafka broker is stopped and started again (same port, same log directory) while devices
 * publish steadily: nothing acknowledged is lost, each device's order holds, the backlog drains.
 */
@ExtendWith(GatewayHygiene.class)
// The broker is stopped under load on purpose.
@ExpectedLogs({
  ExpectedLogs.KAFKA_SEND_FAILED,
  ExpectedLogs.EXACTLY_ONCE_FAILED,
  ExpectedLogs.KAFKA_STALLED
})
class KafkaRestartIT {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(ForwardConfig.Delivery.class)
  void brokerStoppedAndRestartedUnderLoadLosesNothingAndKeepsOrder(ForwardConfig.Delivery delivery)
      throws Exception {
    int devices = 5;
    boolean exactlyOnce = delivery == ForwardConfig.Delivery.EXACTLY_ONCE;
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      config.forward.delivery = delivery;
      try (TestGateway gw = TestGateway.start(config)) {
        AtomicBoolean stop = new AtomicBoolean();
        List<Device> clients = new ArrayList<>();
        List<CompletableFuture<Integer>> streams = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
          Device device = Device.connect("dev-" + d, gw.mqttPort());
          clients.add(device);
          streams.add(device.stream(0, 100, 200, stop));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> acked(clients) >= 3000);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> gw.counter("edgegate.events.forwarded") > 0);

        kafka.stop();
        int atStop = acked(clients);
        // Devices go on being acknowledged while Kafka is away: the journal holds the events.
        await().atMost(Duration.ofSeconds(60)).until(() -> acked(clients) >= atStop + 10_000);
        assertThat(gw.gateway.journal().backlog()).isPositive();

        kafka.startAgain();
        int atRestart = acked(clients);
        await().atMost(Duration.ofSeconds(60)).until(() -> acked(clients) >= atRestart + 3000);
        stop.set(true);
        CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new))
            .get(60, TimeUnit.SECONDS);

        int total = acked(clients);
        await().atMost(Duration.ofSeconds(120)).until(() -> gw.gateway.journal().backlog() == 0);
        List<ConsumerRecord<String, byte[]>> records =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, total, Duration.ofSeconds(120), true);
        Map<String, List<Integer>> byDevice = Events.byDevice(records);
        for (Device c : clients) {
          assertThat(new HashSet<>(byDevice.get(c.id)))
              .as("acknowledged events of %s", c.id)
              .containsAll(c.acked);
        }
        Events.assertFirstAppearancesInOrder(byDevice);
        HashSet<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(KafkaTopic.header(r, "ce_id")));
        System.out.printf(
            "[measure] Kafka restarted under load (%s): %d acknowledged, %d records, %d re-sent"
                + " copies%n",
            delivery, total, records.size(), records.size() - ids.size());
        if (exactlyOnce) {
          assertThat(records).as("read_committed: each event once").hasSize(ids.size());
        }
        clients.forEach(Device::close);
      }
    }
  }

  private static int acked(List<Device> clients) {
    return clients.stream().mapToInt(d -> d.acked.size()).sum();
  }
}
