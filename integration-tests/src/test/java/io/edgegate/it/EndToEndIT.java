package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.gateway.observe.GatewayMetrics;
import io.edgegate.gateway.pipeline.TraceParent;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole flow on real parts: MQTT clients → gateway → Chronicle journal → KRaft Kafka. */
@ExtendWith(GatewayHygiene.class)
class EndToEndIT {
  @TempDir static Path dir;
  @RegisterExtension static final ClassKafka kafka = new ClassKafka();

  @Test
  void tenThousandQos1EventsFromTenDevicesArriveInPublishOrderWithCloudEventsHeaders()
      throws Exception {
    int devices = 10;
    int perDevice = 1000;
    var config = TestGateway.config(dir.resolve("gw-hivemq"), kafka.bootstrapServers());
    config.kafka.topic = "e2e-hivemq";
    try (TestGateway gw = TestGateway.start(config)) {
      List<Device> clients = new ArrayList<>();
      for (int d = 0; d < devices; d++) {
        clients.add(Device.connect("dev-" + d, gw.mqttPort()));
      }
      long start = System.nanoTime();
      List<CompletableFuture<Void>> sends = new ArrayList<>();
      for (Device c : clients) {
        sends.add(c.publish(0, perDevice, MqttQos.AT_LEAST_ONCE, 50));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      double ackSeconds = (System.nanoTime() - start) / 1e9;
      for (Device c : clients) {
        assertThat(c.acked).as("acks of %s", c.id).hasSize(perDevice);
      }

      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(
              kafka.bootstrapServers(),
              config.kafka.topic,
              devices * perDevice,
              Duration.ofSeconds(120));
      double endToEndSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "[measure] %d QoS 1 events from %d HiveMQ clients: all acknowledged in %.2f s (%.0f/s),"
              + " all in Kafka after %.2f s (%.0f/s)%n",
          devices * perDevice,
          devices,
          ackSeconds,
          devices * perDevice / ackSeconds,
          endToEndSeconds,
          devices * perDevice / endToEndSeconds);

      assertThat(records).hasSize(devices * perDevice);
      Map<String, List<Integer>> byDevice = Events.byDevice(records);
      assertThat(byDevice).hasSize(devices);
      byDevice.forEach(
          (device, seqs) -> {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perDevice; i++) {
              expected.add(i);
            }
            assertThat(seqs)
                .as("events of %s in publish order, none lost", device)
                .isEqualTo(expected);
          });

      Set<String> ids = new HashSet<>();
      for (ConsumerRecord<String, byte[]> r : records) {
        assertThat(KafkaTopic.header(r, "ce_specversion")).isEqualTo("1.0");
        String id = KafkaTopic.header(r, "ce_id");
        assertThat(UUID.fromString(id).version()).isEqualTo(7);
        ids.add(id);
        assertThat(KafkaTopic.header(r, "ce_source")).isEqualTo("edgegate://it/" + r.key());
        assertThat(KafkaTopic.header(r, "ce_type")).isEqualTo(config.pipeline.eventType);
        assertThat(Instant.parse(KafkaTopic.header(r, "ce_time")))
            .isBetween(Instant.now().minusSeconds(600), Instant.now());
        assertThat(KafkaTopic.header(r, "content-type")).isEqualTo("application/json");
        assertThat(TraceParent.isValid(KafkaTopic.header(r, "traceparent"))).isTrue();
        assertThat(KafkaTopic.header(r, "mqtt_topic")).isEqualTo(Device.topic(r.key()));
        assertThat(new String(r.value(), StandardCharsets.UTF_8))
            .startsWith("{\"device\":\"" + r.key() + "\"");
      }
      assertThat(ids).as("event ids are unique").hasSize(devices * perDevice);
      assertThat(gw.counter(GatewayMetrics.FORWARDED)).isEqualTo(devices * perDevice);
      for (Device c : clients) {
        c.close();
      }
    }
  }

  @Test
  void mqtt311ClientsPublishAtQos0AndQos1() throws Exception {
    var config = TestGateway.config(dir.resolve("gw-paho"), kafka.bootstrapServers());
    config.kafka.topic = "e2e-paho";
    try (TestGateway gw = TestGateway.start(config)) {
      MqttAsyncClient paho =
          new MqttAsyncClient(
              "tcp://127.0.0.1:" + gw.mqttPort(), "paho-1", new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      options.setMaxInflight(200);
      paho.connect(options).waitForCompletion(10_000);
      List<IMqttDeliveryToken> tokens = new ArrayList<>();
      for (int seq = 0; seq < 400; seq++) {
        MqttMessage m = new MqttMessage(Device.payload("paho-1", seq, 10));
        m.setQos(seq % 2); // alternate QoS 0 and QoS 1
        tokens.add(paho.publish(Device.topic("paho-1"), m));
      }
      for (IMqttDeliveryToken t : tokens) {
        t.waitForCompletion(30_000);
      }
      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(
              kafka.bootstrapServers(), config.kafka.topic, 400, Duration.ofSeconds(60));
      assertThat(records).hasSize(400);
      assertThat(Events.byDevice(records).get("paho-1")).isSorted().hasSize(400);
      assertThat(records.stream().map(r -> KafkaTopic.header(r, "mqtt_qos")).distinct())
          .containsExactlyInAnyOrder("0", "1");
      paho.disconnect().waitForCompletion(5_000);
      paho.close();
    }
  }
}
