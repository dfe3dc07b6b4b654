package io.edgegate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environment overrides and secret references, applied before binding. */
class EnvOverridesTest {
  private static final String BASE = "kafka: {bootstrapServers: 'file:9092'}\n";

  @TempDir Path dir;

  @Test
  void namesFollowTheDocumentedRule() {
    assertThat(ConfigKeys.envName("kafka.bootstrapServers"))
        .isEqualTo("EDGEGATE_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(ConfigKeys.envName("journal.syncInterval"))
        .isEqualTo("EDGEGATE_JOURNAL_SYNC_INTERVAL");
    assertThat(ConfigKeys.envName("forward.maxInFlightBytes"))
        .isEqualTo("EDGEGATE_FORWARD_MAX_IN_FLIGHT_BYTES");
    assertThat(ConfigKeys.envName("kafka.embedded.enabled"))
        .isEqualTo("EDGEGATE_KAFKA_EMBEDDED_ENABLED");
    assertThat(ConfigKeys.envName("kafka.producer", "linger.ms"))
        .isEqualTo("EDGEGATE_KAFKA_PRODUCER__LINGER_MS");
  }

  @Test
  void everyKeyHasItsOwnVariable() {
    List<ConfigKeys.Key> keys = ConfigKeys.all();
    assertThat(keys).extracting(ConfigKeys.Key::envName).doesNotHaveDuplicates();
    assertThat(keys)
        .extracting(ConfigKeys.Key::path)
        .contains("gateway.id", "journal.sync", "kafka.producer", "admin.port");
  }

  @Test
  void variablesOverrideTheFileAndFillMissingSections() {
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml",
            BASE + "journal: {sync: always}\n",
            Map.of(
                "EDGEGATE_KAFKA_BOOTSTRAP_SERVERS", "env:9092",
                "EDGEGATE_JOURNAL_SYNC", "batch",
                "EDGEGATE_JOURNAL_SYNC_INTERVAL", "100ms",
                "EDGEGATE_MQTT_MAX_MESSAGE_SIZE", "64KiB",
                "EDGEGATE_KAFKA_EMBEDDED_PARTITIONS", "7",
                "EDGEGATE_ADMIN_ENABLED", "false",
                "PATH", "/usr/bin"));
    assertThat(c.kafka.bootstrapServers).isEqualTo("env:9092");
    assertThat(c.journal.sync).isEqualTo(JournalConfig.Sync.BATCH);
    assertThat(c.journal.syncInterval).isEqualTo(Duration.ofMillis(100));
    assertThat(c.mqtt.maxMessageSize).isEqualTo(64 * 1024);
    assertThat(c.kafka.embedded.partitions).isEqualTo(7);
    assertThat(c.admin.enabled).isFalse();
  }

  @Test
  void mapKeysFollowADoubleUnderscoreAndAWholeMapTakesYaml() {
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml",
            BASE + "kafka:\n  bootstrapServers: k:1\n  producer: {linger.ms: '5'}\n",
            Map.of(
                "EDGEGATE_KAFKA_PRODUCER__LINGER_MS", "20",
                "EDGEGATE_KAFKA_PRODUCER__SECURITY_PROTOCOL", "SASL_SSL"));
    assertThat(c.kafka.producer)
        .containsEntry("linger.ms", "20")
        .containsEntry("security.protocol", "SASL_SSL");

    GatewayConfig whole =
        ConfigLoader.parse(
            "t.yaml",
            BASE,
            Map.of("EDGEGATE_KAFKA_PRODUCER", "{compression.type: zstd, batch.size: '65536'}"));
    assertThat(whole.kafka.producer)
        .containsEntry("compression.type", "zstd")
        .containsEntry("batch.size", "65536");
  }

  @Test
  void aProblemWithAnOverriddenKeyNamesTheKeyAndTheVariable() {
    assertThatThrownBy(
            () -> ConfigLoader.parse("t.yaml", BASE, Map.of("EDGEGATE_MQTT_PORT", "eighty")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "mqtt.port (from environment variable EDGEGATE_MQTT_PORT): invalid value 'eighty'");
    assertThatThrownBy(
            () -> ConfigLoader.parse("t.yaml", BASE, Map.of("EDGEGATE_MQTT_PORT", "70000")))
        .hasMessageContaining(
            "mqtt.port (from environment variable EDGEGATE_MQTT_PORT): must be a port from 0 to"
                + " 65535 (was 70000)");
    assertThatThrownBy(
            () -> ConfigLoader.parse("t.yaml", BASE, Map.of("EDGEGATE_KAFKA_PRODUCER__ACKS", "1")))
        .hasMessageContaining(
            "kafka.producer.acks (from environment variable EDGEGATE_KAFKA_PRODUCER__ACKS): is set"
                + " by the gateway");
  }

  @Test
  void aMistypedVariableOfASectionIsAnErrorOthersAreNotConfiguration() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "t.yaml", BASE, Map.of("EDGEGATE_KAFKA_BOOTSTRAP_SERVER", "x:1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("EDGEGATE_KAFKA_BOOTSTRAP_SERVER: environment variable names no")
        .hasMessageContaining("EDGEGATE_KAFKA_BOOTSTRAP_SERVERS");
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml", BASE, Map.of("EDGEGATE_LOG_FORMAT", "json", "EDGEGATE_HOME", "/opt"));
    assertThat(c.kafka.bootstrapServers).isEqualTo("file:9092");
  }

  @Test
  void aSectionThatIsAValueInTheFileCannotTakeAKey() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "t.yaml", BASE + "mqtt: 5\n", Map.of("EDGEGATE_MQTT_PORT", "1884")))
        .hasMessageContaining("EDGEGATE_MQTT_PORT: cannot be applied: mqtt in the file is a value");
  }

  @Test
  void secretsComeFromFilesOrVariables() throws Exception {
    Path secret = dir.resolve("jaas");
    Files.writeString(secret, "ScramLoginModule required username=\"u\" password=\"p\";\n");
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml",
            BASE
                + "kafka:\n  bootstrapServers: k:1\n  producer:\n"
                + "    sasl.jaas.config: ${file:"
                + secret
                + "}\n",
            Map.of(
                "EDGEGATE_KAFKA_PRODUCER__SSL_KEY_PASSWORD", "${env:KEY_PASSWORD}",
                "KEY_PASSWORD", "s3cret"));
    assertThat(c.kafka.producer)
        .containsEntry(
            "sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"p\";")
        .containsEntry("ssl.key.password", "s3cret");
  }

  @Test
  void aMissingSecretNamesTheKeyAndTheFile() {
    String missing = dir.resolve("nope").toString();
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "t.yaml",
                    BASE,
                    Map.of("EDGEGATE_KAFKA_PRODUCER__SASL_JAAS_CONFIG", "${file:" + missing + "}")))
        .hasMessageContaining(
            "kafka.producer.sasl.jaas.config (from environment variable"
                + " EDGEGATE_KAFKA_PRODUCER__SASL_JAAS_CONFIG): secret file "
                + missing
                + " does not exist");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "t.yaml",
                    BASE + "pipeline: {eventType: '${env:NOT_SET_ANYWHERE}'}\n",
                    Map.of()))
        .hasMessageContaining(
            "pipeline.eventType: refers to environment variable NOT_SET_ANYWHERE, which is not set");
  }

  @Test
  void everyValueKeyCanBeSetFromTheEnvironment() {
    // Each key's printed value, given back as its variable, yields the same configuration.
    GatewayConfig original =
        ConfigLoader.load(Path.of("..", "config", "production.yaml"), Map.of());
    var printed = ConfigPrinter.toTree(original);
    Map<String, String> env = new HashMap<>();
    for (ConfigKeys.Key k : ConfigKeys.all()) {
      var node = printed.at("/" + k.path().replace('.', '/'));
      if (node.isMissingNode() || k.kind() == ConfigKeys.Kind.SECTION) {
        continue;
      }
      // A list or a map is given as YAML flow style, which JSON is.
      env.put(k.envName(), node.isContainerNode() ? node.toString() : node.asText());
    }
    assertThat(env).hasSizeGreaterThan(30);
    GatewayConfig fromEnv = ConfigLoader.parse("empty.yaml", "", env);
    assertThat(ConfigPrinter.toYaml(fromEnv)).isEqualTo(ConfigPrinter.toYaml(original));
  }
}
