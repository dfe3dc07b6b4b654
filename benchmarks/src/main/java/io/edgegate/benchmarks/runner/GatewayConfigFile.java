package io.edgegate.benchmarks.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The configuration file a benchmark gateway runs with: the profile's file (if any) with the
 * runner's settings laid over it — its own ports on 127.0.0.1, data directory, topic and broker,
 * plain MQTT without a login and without per-client limits (the load generator is one host opening
 * thousands of connections), Kafka without TLS. Everything else stays as the profile has it.
 */
final class GatewayConfigFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private GatewayConfigFile() {}

  static Path write(
      Path file,
      Profile profile,
      GatewayChild.Setup setup,
      Path dataDir,
      String kafka,
      int mqttPort,
      int adminPort)
      throws IOException {
    return write(file, profile, setup, dataDir, kafka, mqttPort, adminPort, "");
  }

  /**
   * The same, with {@code scenarioYaml} laid over last: a scenario's own settings (e.g. {@code
   * mqtt.limits.publishRate}); "" for none.
   */
  static Path write(
      Path file,
      Profile profile,
      GatewayChild.Setup setup,
      Path dataDir,
      String kafka,
      int mqttPort,
      int adminPort,
      String scenarioYaml)
      throws IOException {
    ObjectNode root =
        profile.config().isPresent()
            ? (ObjectNode) YAML.readTree(profile.config().get().toFile())
            : YAML.createObjectNode();
    // What the runner replaces whole or removes (the profile's TLS, logins, limits, SASL).
    merge(
        root,
        YAML.valueToTree(
            Map.of(
                "mqtt",
                nulls("tls", "auth", "limits"),
                "kafka",
                Map.of("producer", nulls("security.protocol", "sasl.mechanism")),
                "admin",
                nulls("auth", "tls"))));
    String overlay =
        """
        gateway: {id: bench-%s, dataDir: '%s'}
        mqtt: {host: 127.0.0.1, port: %d, auth: {anonymous: true}}
        journal: {sync: %s}
        kafka: {bootstrapServers: '%s', topic: %s, deadLetterTopic: %s.dead-letter}
        forward: {delivery: %s}
        admin: {host: 127.0.0.1, port: %d, refreshInterval: 200ms}
        """
            .formatted(
                setup.name(),
                dataDir,
                mqttPort,
                setup.sync(),
                kafka,
                setup.topic(),
                setup.topic(),
                setup.delivery(),
                adminPort);
    merge(root, YAML.readTree(overlay));
    if (!scenarioYaml.isBlank()) {
      merge(root, YAML.readTree(scenarioYaml));
    }
    Files.writeString(file, YAML.writeValueAsString(root));
    return file;
  }

  private static Map<String, Object> nulls(String... keys) {
    Map<String, Object> m = new java.util.HashMap<>();
    for (String k : keys) {
      m.put(k, null);
    }
    return m;
  }

  /** Lays {@code over} onto {@code base}: maps merge key by key, a null removes the key. */
  static void merge(ObjectNode base, JsonNode over) {
    for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode mine = base.get(e.getKey());
      if (e.getValue().isNull()) {
        base.remove(e.getKey());
      } else if (e.getValue().isObject() && mine != null && mine.isObject()) {
        merge((ObjectNode) mine, e.getValue());
      } else if (e.getValue().isObject()) {
        ObjectNode fresh = base.putObject(e.getKey());
        merge(fresh, e.getValue());
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
  }

  /** A duration key of the written file ("10ms", "1s"), in ms; NaN when absent or unreadable. */
  static double millis(Path file, String section, String key) {
    try {
      JsonNode v = YAML.readTree(file.toFile()).path(section).path(key);
      if (v.isMissingNode()) {
        return Double.NaN;
      }
      String s = v.asText().trim();
      var m = java.util.regex.Pattern.compile("([0-9.]+)\\s*(ms|s|m)?").matcher(s);
      if (!m.matches()) {
        return Double.NaN;
      }
      double n = Double.parseDouble(m.group(1));
      String unit = m.group(2) == null ? "ms" : m.group(2);
      return switch (unit) {
        case "s" -> n * 1000;
        case "m" -> n * 60_000;
        default -> n;
      };
    } catch (IOException e) {
      return Double.NaN;
    }
  }
}
