package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.Gateway;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload (what SIGHUP does after checking the file) while a device streams QoS 1 events: the
 * device stays connected, every acknowledged event reaches Kafka, and events published after the
 * reload follow the new routes; keys that cannot change live are reported, not applied.
 */
@ExtendWith(GatewayHygiene.class)
class ReloadIT {

  @TempDir Path dir;

  private static GatewayConfig routedTo(GatewayConfig c, String topic) {
    PipelineConfig.Route r = new PipelineConfig.Route();
    r.match = "devices/{deviceId}/telemetry";
    r.topic = topic;
    c.pipeline.routes = new ArrayList<>(List.of(r));
    return c;
  }

  @Test
  void aReloadUnderLoadSwitchesRoutesWithoutLosingAnEventOrAConnection() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      Path data = dir.resolve("data");
      GatewayConfig config = routedTo(TestGateway.config(data, kafka.bootstrapServers()), "before");
      try (TestGateway gw = TestGateway.start(config);
          Device device = Device.connect("dev-1", gw.mqttPort())) {
        AtomicBoolean stop = new AtomicBoolean();
        int chunk = 50;
        CompletableFuture<Integer> stream = device.stream(0, chunk, 16, stop);
        await().atMost(Duration.ofSeconds(60)).until(() -> device.acked.size() >= 500);

        GatewayConfig next = routedTo(TestGateway.config(data, kafka.bootstrapServers()), "after");
        next.mqtt.port = 1; // a key that needs a restart: reported, not applied
        Gateway.Reloaded reloaded = gw.gateway.reload(next).await(30, TimeUnit.SECONDS);
        assertThat(reloaded.applied()).containsExactly("pipeline.routes[0].topic");
        assertThat(reloaded.needRestart()).containsExactly("mqtt.port");
        // Anything published from the chunk after the one in flight now was sent after the reload.
        int publishedAfter = Collections.max(device.acked) + 1 + chunk;

        int ackedAtReload = device.acked.size();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> device.acked.size() >= ackedAtReload + 500);
        stop.set(true);
        stream.get(60, TimeUnit.SECONDS);
        assertThat(device.client.getState().isConnected()).as("no connection dropped").isTrue();
        assertThat(device.refusals).isEmpty();

        Set<Integer> acked = new HashSet<>(device.acked);
        List<ConsumerRecord<String, byte[]>> before =
            KafkaTopic.readAll(kafka.bootstrapServers(), "before", 1, Duration.ofSeconds(30));
        List<ConsumerRecord<String, byte[]>> after =
            KafkaTopic.readAll(
                kafka.bootstrapServers(),
                "after",
                acked.size() - before.size(),
                Duration.ofSeconds(60));
        Set<Integer> inKafka = new HashSet<>();
        before.forEach(r -> inKafka.add(Events.seq(r)));
        after.forEach(r -> inKafka.add(Events.seq(r)));
        assertThat(inKafka).as("every acknowledged event is in Kafka").containsAll(acked);
        assertThat(before).as("routed before the reload").isNotEmpty();
        for (ConsumerRecord<String, byte[]> r : before) {
          assertThat(Events.seq(r)).as("an event in the old route").isLessThan(publishedAfter);
        }
        assertThat(after.stream().map(Events::seq).filter(s -> s >= publishedAfter))
            .as("events published after the reload follow the new route")
            .isNotEmpty();
        assertThat(gw.gateway.config().mqtt.port).as("not applied").isEqualTo(0);
        assertThat(gw.gateway.config().pipeline.routes.get(0).topic).isEqualTo("after");
      }
    }
  }
}
