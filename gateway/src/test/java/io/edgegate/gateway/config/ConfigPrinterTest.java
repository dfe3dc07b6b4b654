package io.edgegate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code config print}: human units, secrets masked, and output that loads again. */
class ConfigPrinterTest {

  @Test
  void writesHumanUnitsAndLowerCaseEnums() {
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml",
            "kafka: {bootstrapServers: 'k:1'}\n"
                + "journal: {sync: ALWAYS, syncInterval: 1500ms, syncBytes: 3MiB, roll: daily}\n"
                + "forward: {retryBackoffMax: 2m}\n");
    String yaml = ConfigPrinter.toYaml(c);
    assertThat(yaml)
        .contains("sync: always")
        .contains("syncInterval: 1500ms")
        .contains("syncBytes: 3MiB")
        .contains("roll: daily")
        .contains("retryBackoffMax: 2m")
        .contains("maxPendingBytes: 16MiB");
    assertThat(ConfigPrinter.duration(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(ConfigPrinter.size(1000)).isEqualTo("1000");
  }

  @Test
  void masksSecretsByKeyName() {
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml",
            "kafka:\n  bootstrapServers: k:1\n  producer:\n"
                + "    sasl.jaas.config: 'PlainLoginModule required password=\"hunter2\";'\n"
                + "    ssl.keystore.password: hunter3\n"
                + "    linger.ms: '20'\n");
    String yaml = ConfigPrinter.toYaml(c);
    assertThat(yaml).doesNotContain("hunter2").doesNotContain("hunter3");
    assertThat(yaml).contains("sasl.jaas.config: '" + ConfigPrinter.MASK + "'");
    assertThat(yaml).contains("linger.ms: \"20\"");
    assertThat(ConfigPrinter.isSecret("kafka.producer.ssl.key.password")).isTrue();
    // where a secret is kept is not a secret: an operator needs to see the path
    assertThat(ConfigPrinter.isSecret("mqtt.auth.passwordFile")).isFalse();
    assertThat(ConfigPrinter.isSecret("kafka.producer.ssl.keystore.location")).isFalse();
    assertThat(ConfigPrinter.isSecret("kafka.topic")).isFalse();
  }

  @Test
  void theShippedGatewayConfigsPrintToYamlThatLoadsAsTheSameConfig() {
    for (String name : List.of("demo.yaml", "production.yaml", "raspberry-pi.yaml")) {
      Path p = Path.of("..", "config", name);
      String printed = ConfigPrinter.toYaml(ConfigLoader.load(p, Map.of()));
      String again = ConfigPrinter.toYaml(ConfigLoader.parse(p + " printed", printed));
      assertThat(again).as(name).isEqualTo(printed);
    }
  }

  @Test
  void printedEnumsAreWrittenAsTheDocsWriteThemAndAMaskedSecretIsRefused() {
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml",
            "kafka:\n  bootstrapServers: k:1\n  producer:\n    sasl.jaas.config: x\n"
                + "mqtt:\n  auth:\n    passwordFile: /etc/edgegate/passwd\n");
    String yaml = ConfigPrinter.toYaml(c);
    assertThat(yaml)
        .contains("delivery: at-least-once")
        .contains("passwordFile: /etc/edgegate/passwd");
    assertThatThrownBy(() -> ConfigLoader.parse("printed.yaml", yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.producer.sasl.jaas.config: is masked");
  }
}
