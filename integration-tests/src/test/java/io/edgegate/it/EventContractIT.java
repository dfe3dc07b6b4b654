package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.pipeline.TraceParent;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event contract end to end, on real Kafka with two independent MQTT clients: routes, schema
 * validation and upcasting, dead letters that say why while valid traffic flows, fat enrichment
 * from a registry reloaded under load, structured events, trace context, repeated message ids, and
 * device lifecycle events.
 */
@ExtendWith(GatewayHygiene.class)
class EventContractIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void eventsAreRoutedValidatedEnrichedAndBadOnesDeadLetteredWhileTrafficFlows() throws Exception {
    Path schemas = Path.of("..", "config", "schemas").toAbsolutePath().normalize();
    Path devices = dir.resolve("devices.yaml");
    Files.writeString(devices, "dev-1: {site: plant-north, model: TH-200}\n");
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      // Routing of any topic is tested here, not authorisation: no ACL (it would refuse
      // "elsewhere/dev-1" with PUBACK 0x87 before routing saw it).
      config.mqtt.acl.enabled = false;
      config.pipeline =
          ConfigLoader.parse(
                  "contract.yaml",
                  """
                  kafka: {bootstrapServers: 'x:1'}
                  pipeline:
                    routes:
                      - match: devices/{deviceId}/telemetry
                        topic: iot.telemetry
                        type: com.example.telemetry
                        schema: telemetry
                        version: {field: v}
                        format: json
                        enrichment: fat
                        deviceTime: ts
                      - match: devices/{deviceId}/status
                        topic: iot.status
                        type: com.example.status
                        format: json
                        envelope: structured
                    unmatched: {policy: dead-letter}
                    registry: {file: '%s', reloadInterval: 200ms, unknownDevices: accept-and-flag}
                    schemas:
                      telemetry:
                        current: 2
                        versions:
                          1: {file: '%s', upcast: {rename: {temp: temperature}, defaults: {unit: C}, drop: [v]}}
                          2: {file: '%s'}
                    duplicates: {field: msgId}
                    lifecycle: {enabled: true, topic: iot.device-status}
                  """
                      .formatted(
                          devices,
                          schemas.resolve("telemetry-v1.json"),
                          schemas.resolve("telemetry-v2.json")))
              .pipeline;
      try (TestGateway gw = TestGateway.start(config);
          Device dev1 = Device.connect("dev-1", gw.mqttPort())) {
        String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        // dev-1 (MQTT 5): valid v1 and v2 telemetry, poison interleaved, a repeat, a status.
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          String body =
              switch (i % 5) {
                case 0 -> "{\"v\":1,\"temp\":" + i + ",\"ts\":" + System.currentTimeMillis() + "}";
                case 1 ->
                    "{\"v\":2,\"temperature\":" + i + ",\"unit\":\"F\",\"msgId\":\"m" + i + "\"}";
                case 2 -> "{\"v\":2,\"temperature\":\"hot\",\"unit\":\"C\"}"; // schema-invalid
                case 3 -> "not json " + i; // not-json
                default -> "{\"v\":2,\"temperature\":" + i + ",\"unit\":\"C\"}";
              };
          sent.add(body);
          publish(dev1, "devices/dev-1/telemetry", body, i == 0 ? tp : null);
        }
        publish(
            dev1,
            "devices/dev-1/telemetry",
            "{\"v\":2,\"temperature\":1,\"unit\":\"F\",\"msgId\":\"m1\"}",
            null);
        publish(dev1, "devices/dev-1/status", "{\"ok\":true}", null);
        publish(dev1, "devices/dev-1/unrouted/x", "x", null); // allowed topic, but no route

        // dev-2 (Paho, MQTT 3.1.1): unknown to the registry until it is added under load.
        MqttAsyncClient paho =
            new MqttAsyncClient(
                "tcp://127.0.0.1:" + gw.mqttPort(), "dev-2", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setMaxInflight(100);
        options.setWill("devices/dev-2/will", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        paho.connect(options).waitForCompletion(10_000);
        AtomicBoolean stop = new AtomicBoolean();
        List<Integer> pahoAcked = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> stream =
            CompletableFuture.runAsync(
                () -> {
                  for (int seq = 0; !stop.get() || seq < 200; seq++) {
                    try {
                      MqttMessage m =
                          new MqttMessage(
                              // temperature stays within the schema's range (max 200)
                              // however long a slow machine keeps the stream going.
                              ("{\"v\":2,\"temperature\":"
                                      + seq % 100
                                      + ",\"unit\":\"C\",\"seq\":"
                                      + seq
                                      + "}")
                                  .getBytes(StandardCharsets.UTF_8));
                      m.setQos(1);
                      paho.publish("devices/dev-2/telemetry", m).waitForCompletion(10_000);
                      pahoAcked.add(seq);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }
                });
        await().atMost(Duration.ofSeconds(30)).until(() -> pahoAcked.size() >= 50);
        Files.writeString(
            devices,
            "dev-1: {site: plant-north, model: TH-200}\ndev-2: {site: plant-south, model: TH-100}\n");
        Files.setLastModifiedTime(devices, FileTime.fromMillis(System.currentTimeMillis() + 2000));
        // The stream goes on until the reloaded registry shows in Kafka: a count of acks after the
        // write says nothing about when the reload (a worker task every 200 ms) got its turn.
        java.util.function.Predicate<ConsumerRecord<String, byte[]>> reloaded =
            r ->
                r.key().equals("dev-2")
                    && "plant-south".equals(KafkaTopic.header(r, "edgegate_device_site"));
        assertThat(
                KafkaTopic.readUntil(
                    kafka.bootstrapServers(),
                    "iot.telemetry",
                    read -> read.stream().anyMatch(reloaded),
                    Duration.ofSeconds(60),
                    false))
            .as("dev-2 enriched from the reloaded registry while it streams")
            .anyMatch(reloaded);
        int ackedAtReload = pahoAcked.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> pahoAcked.size() >= ackedAtReload + 50);
        stop.set(true);
        stream.get(60, TimeUnit.SECONDS);
        paho.disconnectForcibly(0, 1000, false); // no DISCONNECT packet: a connection loss
        paho.close();
        dev1.client.disconnect().get(10, TimeUnit.SECONDS);

        // Telemetry: 20 v1 upcast + 20 v2 + 20 more v2 from dev-1 (the repeat suppressed), all of
        // dev-2.
        int pahoCount = pahoAcked.size();
        List<ConsumerRecord<String, byte[]>> telemetry =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), "iot.telemetry", 60 + pahoCount, Duration.ofSeconds(60));
        List<ConsumerRecord<String, byte[]>> fromDev1 =
            telemetry.stream().filter(r -> r.key().equals("dev-1")).toList();
        assertThat(fromDev1).hasSize(60);
        for (ConsumerRecord<String, byte[]> r : fromDev1) {
          JsonNode body = JSON.readTree(r.value());
          assertThat(body.has("temperature")).isTrue();
          assertThat(body.has("temp")).isFalse();
          assertThat(body.get("_device").get("model").asText()).isEqualTo("TH-200");
          assertThat(KafkaTopic.header(r, "ce_dataschema"))
              .isEqualTo("https://schemas.example.com/telemetry/2");
          assertThat(KafkaTopic.header(r, "edgegate_device_site")).isEqualTo("plant-north");
        }
        assertThat(KafkaTopic.header(fromDev1.get(0), "traceparent")).isEqualTo(tp);
        assertThat(KafkaTopic.header(fromDev1.get(0), "edgegate_clock_skew_ms")).isNotNull();

        List<ConsumerRecord<String, byte[]>> fromDev2 =
            telemetry.stream().filter(r -> r.key().equals("dev-2")).toList();
        assertThat(fromDev2.stream().map(r -> seq(r)).toList())
            .as("no loss and no reordering across the registry reload")
            .isEqualTo(java.util.stream.IntStream.range(0, pahoCount).boxed().toList());
        assertThat(TraceParent.isValid(KafkaTopic.header(fromDev2.get(0), "traceparent"))).isTrue();
        assertThat(KafkaTopic.header(fromDev2.get(0), "edgegate_device_unknown")).isEqualTo("true");
        ConsumerRecord<String, byte[]> last = fromDev2.get(fromDev2.size() - 1);
        assertThat(KafkaTopic.header(last, "edgegate_device_site"))
            .as("after the reload")
            .isEqualTo("plant-south");

        List<ConsumerRecord<String, byte[]>> dead =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.DEAD_LETTERS, 41, Duration.ofSeconds(60));
        assertThat(dead.stream().map(r -> KafkaTopic.header(r, "edgegate_dlq_reason")).toList())
            .containsOnly("schema-invalid", "not-json", "unmatched-topic")
            .hasSize(41);
        ConsumerRecord<String, byte[]> invalid =
            dead.stream()
                .filter(r -> "schema-invalid".equals(KafkaTopic.header(r, "edgegate_dlq_reason")))
                .findFirst()
                .orElseThrow();
        assertThat(KafkaTopic.header(invalid, "edgegate_dlq_error_path"))
            .isEqualTo("$.temperature");
        assertThat(KafkaTopic.header(invalid, "edgegate_dlq_schema")).isEqualTo("telemetry:2");
        assertThat(KafkaTopic.header(invalid, "edgegate_dlq_client_id")).isEqualTo("dev-1");

        List<ConsumerRecord<String, byte[]>> status =
            KafkaTopic.readAll(kafka.bootstrapServers(), "iot.status", 1, Duration.ofSeconds(60));
        JsonNode ce = JSON.readTree(status.get(0).value());
        assertThat(ce.get("type").asText()).isEqualTo("com.example.status");
        assertThat(ce.get("data").get("ok").asBoolean()).isTrue();

        List<ConsumerRecord<String, byte[]>> lifecycle =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(
                    () ->
                        KafkaTopic.readAll(
                            kafka.bootstrapServers(),
                            "iot.device-status",
                            4,
                            Duration.ofSeconds(20)),
                    l -> l.size() >= 4);
        List<String> kinds =
            lifecycle.stream().map(r -> r.key() + ":" + KafkaTopic.header(r, "ce_type")).toList();
        assertThat(kinds)
            .contains(
                "dev-1:io.edgegate.device.connected",
                "dev-2:io.edgegate.device.connected",
                "dev-2:io.edgegate.device.connection-lost",
                "dev-1:io.edgegate.device.disconnected");
        ConsumerRecord<String, byte[]> lost =
            lifecycle.stream()
                .filter(r -> KafkaTopic.header(r, "ce_type").endsWith("connection-lost"))
                .findFirst()
                .orElseThrow();
        JsonNode will = JSON.readTree(lost.value()).get("will");
        assertThat(will.get("topic").asText()).isEqualTo("devices/dev-2/will");
        assertThat(will.get("payload").asText()).isEqualTo("gone");
      }
    }
  }

  private static int seq(ConsumerRecord<String, byte[]> r) {
    try {
      return JSON.readTree(r.value()).get("seq").asInt();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void publish(Device device, String topic, String body, String traceparent)
      throws Exception {
    var builder =
        device
            .client
            .publishWith()
            .topic(topic)
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(body.getBytes(StandardCharsets.UTF_8));
    if (traceparent != null) {
      builder.userProperties(Mqtt5UserProperties.builder().add("traceparent", traceparent).build());
    }
    builder.send().get(30, TimeUnit.SECONDS);
  }
}
