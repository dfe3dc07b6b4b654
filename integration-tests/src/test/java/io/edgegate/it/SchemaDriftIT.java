package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.gateway.Gateway;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema drift made visible, on real Kafka and real MQTT clients: two devices still send v1 of a
 * type the gateway upcasts to v2, one sends v2; the scrape says how many events of each version
 * arrived, how many were upcast, and that two devices are on the old version. A reload that makes
 * v3 current keeps the counts, and the v2 device is then on an old version too.
 */
@ExtendWith(GatewayHygiene.class)
class SchemaDriftIT {
  @TempDir Path dir;

  private static final String PIPELINE =
      """
      kafka: {bootstrapServers: 'x:1'}
      pipeline:
        routes:
          - {match: 'devices/{deviceId}/telemetry', topic: iot.telemetry, schema: telemetry,
             version: {field: v}, format: json}
        schemas:
          telemetry:
            current: %d
            versions:
              1: {file: '%s', upcast: {rename: {temp: temperature}, defaults: {unit: C}, drop: [v]}}
              2: {file: '%s'}
              %s
      """;

  @Test
  void theScrapeSaysWhichVersionsArriveAndHowManyDevicesAreOnTheOldOne() throws Exception {
    Path schemas = Path.of("..", "config", "schemas").toAbsolutePath().normalize();
    Path v1 = schemas.resolve("telemetry-v1.json");
    Path v2 = schemas.resolve("telemetry-v2.json");
    Path v3 = dir.resolve("telemetry-v3.json");
    Files.writeString(v3, Files.readString(v2).replaceAll("\"\\$id\"\\s*:\\s*\"[^\"]*\",?", ""));
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      GatewayConfig config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      config.pipeline =
          ConfigLoader.parse("drift.yaml", PIPELINE.formatted(2, v1, v2, "")).pipeline;
      try (TestGateway gw = TestGateway.start(config);
          Device old1 = Device.connect("old-1", gw.mqttPort());
          Device old2 = Device.connect("old-2", gw.mqttPort());
          Device fresh = Device.connect("new-1", gw.mqttPort())) {
        AdminClient admin = new AdminClient(gw.gateway.adminPort());
        // every configured version is a series before the first event
        AdminClient.Scrape first = admin.scrape();
        assertThat(first.has("edgegate_events_schema_versions_total")).isTrue();
        assertThat(first.sum("edgegate_devices_on_old_schema", "type", "telemetry")).isZero();

        for (int i = 0; i < 3; i++) {
          publish(old1, "{\"v\":1,\"temp\":" + i + "}");
          publish(old2, "{\"v\":1,\"temp\":" + (10 + i) + "}");
        }
        publish(old2, "{\"v\":1,\"temp\":20}");
        for (int i = 0; i < 5; i++) {
          publish(fresh, "{\"v\":2,\"temperature\":" + i + ",\"unit\":\"C\"}");
        }

        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () -> {
                  AdminClient.Scrape s = admin.scrape();
                  assertThat(versions(s, "1")).isEqualTo(7);
                  assertThat(versions(s, "2")).isEqualTo(5);
                  assertThat(
                          s.sum(
                              "edgegate_events_upcast_total",
                              "type",
                              "telemetry",
                              "from",
                              "1",
                              "to",
                              "2"))
                      .isEqualTo(7);
                  assertThat(s.sum("edgegate_devices_on_old_schema", "type", "telemetry"))
                      .isEqualTo(2);
                });

        // v3 becomes current: the counts go on, and new-1's v2 is an old version now
        GatewayConfig next = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
        next.pipeline =
            ConfigLoader.parse(
                    "drift-v3.yaml", PIPELINE.formatted(3, v1, v2, "3: {file: '" + v3 + "'}"))
                .pipeline;
        Gateway.Reloaded reloaded = gw.gateway.reload(next).await(30, TimeUnit.SECONDS);
        assertThat(reloaded.applied()).anyMatch(key -> key.startsWith("pipeline.schemas"));
        publish(fresh, "{\"v\":3,\"temperature\":1,\"unit\":\"C\"}");
        publish(old1, "{\"v\":1,\"temp\":30}");
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () -> {
                  AdminClient.Scrape s = admin.scrape();
                  assertThat(versions(s, "1")).isEqualTo(8);
                  assertThat(versions(s, "2")).isEqualTo(5);
                  assertThat(versions(s, "3")).isEqualTo(1);
                  assertThat(
                          s.sum(
                              "edgegate_events_upcast_total",
                              "type",
                              "telemetry",
                              "from",
                              "1",
                              "to",
                              "3"))
                      .isEqualTo(1);
                  // old-1 and old-2 on v1; new-1 moved to v3
                  assertThat(s.sum("edgegate_devices_on_old_schema", "type", "telemetry"))
                      .isEqualTo(2);
                });
      }
    }
  }

  private static double versions(AdminClient.Scrape s, String version) {
    return s.sum("edgegate_events_schema_versions_total", "type", "telemetry", "version", version);
  }

  private static void publish(Device device, String body) throws Exception {
    device
        .client
        .publishWith()
        .topic("devices/" + device.id + "/telemetry")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(body.getBytes(StandardCharsets.UTF_8))
        .send()
        .get(30, TimeUnit.SECONDS);
  }
}
