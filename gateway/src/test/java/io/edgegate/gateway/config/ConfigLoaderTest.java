package io.edgegate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void bindsEveryExampleKeyWithUnitsAndEnums() {
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml",
            """
            gateway: {id: site-7, dataDir: /var/lib/edgegate}
            mqtt: {port: 1884, maxMessageSize: 64KiB, connectTimeout: 5s}
            journal: {sync: ALWAYS, syncInterval: 20ms, roll: daily, maxPendingBytes: 8MiB}
            kafka:
              bootstrapServers: k1:9092,k2:9092
              producer: {linger.ms: "20"}
            forward: {retryBackoffMax: 1m}
            """);
    assertThat(c.gateway.id).isEqualTo("site-7");
    assertThat(c.mqtt.maxMessageSize).isEqualTo(65536);
    assertThat(c.mqtt.connectTimeout).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.journal.sync).isEqualTo(JournalConfig.Sync.ALWAYS);
    assertThat(c.journal.roll).isEqualTo(JournalConfig.Roll.DAILY);
    assertThat(c.journal.maxPendingBytes).isEqualTo(8L << 20);
    assertThat(c.forward.retryBackoffMax).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.kafka.producer).containsEntry("linger.ms", "20");
  }

  @Test
  void emptyFileMeansDefaultsButKafkaMustBeNamed() {
    assertThatThrownBy(() -> ConfigLoader.parse("empty.yaml", ""))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.bootstrapServers: must be set");
  }

  @Test
  void unknownKeyIsNamedWithItsPathAndTheKnownKeys() {
    assertThatThrownBy(
            () -> ConfigLoader.parse("t.yaml", "kafka:\n  bootstrapServers: x:1\n  topci: a\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("t.yaml: kafka.topci: unknown key")
        .hasMessageContaining("topic");
  }

  @Test
  void wrongValuesNameTheKeyAndTheProblem() {
    assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", "mqtt: {port: eighty}\n"))
        .hasMessageContaining("mqtt.port")
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", "journal: {sync: sometimes}\n"))
        .hasMessageContaining(
            "journal.sync: invalid value 'sometimes': 'sometimes' is not one of none, batch, always");
    assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", "journal: {syncInterval: soon}\n"))
        .hasMessageContaining("journal.syncInterval")
        .hasMessageContaining("not a duration");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "t.yaml", "kafka: {bootstrapServers: 'x:1'}\nmqtt: {port: 70000}\n"))
        .hasMessageContaining("mqtt.port: must be a port from 0 to 65535 (was 70000)");
  }

  @Test
  void allProblemsAreReportedAtOnce() {
    ConfigException e =
        (ConfigException)
            org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class,
                () ->
                    ConfigLoader.parse(
                        "t.yaml",
                        "gateway: {id: 'bad id!'}\nkafka: {topic: 'a b', producer: {acks: '1'}}\n"));
    assertThat(e.problems())
        .anyMatch(p -> p.startsWith("gateway.id:"))
        .anyMatch(p -> p.startsWith("kafka.topic:"))
        .anyMatch(p -> p.startsWith("kafka.bootstrapServers:"))
        .anyMatch(p -> p.startsWith("kafka.producer.acks: is set by the gateway"));
  }

  @Test
  void brokenYamlSaysWhere() {
    assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", "mqtt: {port: 1\nkafka: x\n"))
        .hasMessageContaining("t.yaml:")
        .hasMessageContaining("line");
  }

  @Test
  void missingFileIsAConfigError(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("file not found");
  }

  @Test
  void shippedExampleConfigsAreValid() throws Exception {
    Path configDir = Path.of("..", "config");
    try (var files = Files.list(configDir)) {
      var yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
      assertThat(yamls).isNotEmpty();
      for (Path p : yamls) {
        ConfigLoader.load(p);
      }
    }
  }
}
