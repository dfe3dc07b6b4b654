package io.edgegate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionsAndCommandsConfigTest {
  private static final String KAFKA = "kafka: {bootstrapServers: 'k:9092'}\n";

  @Test
  void bindsSessionAndCommandKeys() {
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml",
            KAFKA
                + """
                mqtt: {sessions: {max: 50, maxExpiry: 2d, maxQueued: 10, maxQos: 1}}
                commands:
                  enabled: true
                  topic: site.commands
                  mqttTopic: 'things/{deviceId}/do/{name}'
                  defaultTtl: 5m
                  consumer: {fetch.max.wait.ms: "100"}
                """);
    assertThat(c.mqtt.sessions.max).isEqualTo(50);
    assertThat(c.mqtt.sessions.maxExpiry).isEqualTo(Duration.ofDays(2));
    assertThat(c.mqtt.sessions.maxQos).isEqualTo(1);
    assertThat(c.commands.enabled).isTrue();
    assertThat(c.commands.mqttTopic).isEqualTo("things/{deviceId}/do/{name}");
    assertThat(c.commands.defaultTtl).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.commands.effectiveGroupId("gw-1")).isEqualTo("edgegate-commands-gw-1");
    assertThat(c.commands.consumer).containsEntry("fetch.max.wait.ms", "100");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "t.yaml",
                    KAFKA
                        + """
                        mqtt: {sessions: {maxQos: 3, maxQueued: 0, maxExpiry: 0s}}
                        commands:
                          mqttTopic: 'devices/+/commands/{name}'
                          responseTopic: 'responses/{other}'
                          defaultQos: 5
                          maxInFlight: 0
                        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mqtt.sessions.maxQos: must be 0, 1 or 2")
        .hasMessageContaining("mqtt.sessions.maxQueued")
        .hasMessageContaining("mqtt.sessions.maxExpiry")
        .hasMessageContaining("commands.mqttTopic: must be a topic name, without wildcards")
        .hasMessageContaining("commands.responseTopic: may use only {deviceId} and {name}")
        .hasMessageContaining("commands.defaultQos")
        .hasMessageContaining("commands.maxInFlight");
  }

  @Test
  void environmentVariablesReachTheNewKeys() {
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml",
            KAFKA,
            Map.of(
                "EDGEGATE_COMMANDS_ENABLED", "true",
                "EDGEGATE_MQTT_SESSIONS_MAX_QUEUED", "7"));
    assertThat(c.commands.enabled).isTrue();
    assertThat(c.mqtt.sessions.maxQueued).isEqualTo(7);
  }
}
