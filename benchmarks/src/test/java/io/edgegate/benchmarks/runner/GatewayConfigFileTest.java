package io.edgegate.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigFileTest {
  @TempDir Path dir;

  @Test
  void theRunnersSettingsLieOverTheProfileAndItsTlsLoginAndLimitsGo() throws Exception {
    Path profile = dir.resolve("pi.yaml");
    Files.writeString(
        profile,
        """
        # JAVA_OPTS="-Xmx192m -XX:+UseSerialGC" bin/edgegate run --config pi.yaml
        gateway: {id: pi-001, dataDir: /var/lib/edgegate}
        mqtt:
          port: 8883
          instances: 1
          tls: {enabled: true, certFile: /etc/x.crt}
          auth: {passwordFile: /etc/passwd}
          limits: {maxConnections: 500}
        journal: {sync: batch, syncInterval: 100ms}
        kafka:
          bootstrapServers: far:9093
          producer: {compression.type: zstd, security.protocol: SASL_SSL}
        admin: {port: 8080, auth: {bearerToken: x}, tls: {enabled: true}}
        """);
    Profile p = Profile.fromFile("pi", profile, Map.of());
    assertThat(p.env()).containsEntry("JAVA_OPTS", "-Xmx192m -XX:+UseSerialGC");

    Path written =
        GatewayConfigFile.write(
            dir.resolve("gateway.yaml"),
            p,
            new GatewayChild.Setup("x", "always", "at-least-once", "bench.t"),
            dir,
            "127.0.0.1:9092",
            1883,
            8080);

    JsonNode c = new ObjectMapper(new YAMLFactory()).readTree(written.toFile());
    assertThat(c.at("/mqtt/port").asInt()).isEqualTo(1883);
    assertThat(c.at("/mqtt/instances").asInt()).isEqualTo(1);
    assertThat(c.at("/mqtt/tls").isMissingNode()).isTrue();
    assertThat(c.at("/mqtt/limits").isMissingNode()).isTrue();
    assertThat(c.at("/mqtt/auth/passwordFile").isMissingNode()).isTrue();
    assertThat(c.at("/mqtt/auth/anonymous").asBoolean()).isTrue();
    assertThat(c.at("/journal/sync").asText()).isEqualTo("always");
    assertThat(c.at("/journal/syncInterval").asText()).isEqualTo("100ms");
    assertThat(c.at("/kafka/bootstrapServers").asText()).isEqualTo("127.0.0.1:9092");
    assertThat(c.at("/kafka/producer/compression.type").asText()).isEqualTo("zstd");
    assertThat(c.at("/kafka/producer").has("security.protocol")).isFalse();
    assertThat(c.at("/admin/auth").isMissingNode()).isTrue();
    assertThat(c.at("/admin/tls").isMissingNode()).isTrue();
    assertThat(GatewayConfigFile.millis(written, "journal", "syncInterval")).isEqualTo(100);
  }

  @Test
  void theShippedDefaultHasOnlyTheRunnersSettings() throws Exception {
    Path written =
        GatewayConfigFile.write(
            dir.resolve("gateway.yaml"),
            new Profile("default", Optional.empty(), Map.of()),
            new GatewayChild.Setup("x", "batch", "at-least-once", "bench.t"),
            dir,
            "127.0.0.1:9092",
            1883,
            8080);
    JsonNode c = new ObjectMapper(new YAMLFactory()).readTree(written.toFile());
    assertThat(c.at("/journal/syncInterval").isMissingNode()).isTrue();
    assertThat(GatewayConfigFile.millis(written, "journal", "syncInterval")).isNaN();
    assertThat(c.at("/admin/port").asInt()).isEqualTo(8080);
  }
}
