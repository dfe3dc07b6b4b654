package io.edgegate.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.observe.GatewayMetrics;
import io.edgegate.gateway.pipeline.enrich.DeviceRegistry;
import io.edgegate.gateway.pipeline.schema.SchemaCatalog;
import io.edgegate.gateway.pipeline.schema.SchemaVersions;
import io.edgegate.gateway.pipeline.schema.SchemaVersionsView.TypeVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline counts the schema version each valid event claimed, in the view and in the meters
 * {@code edgegate_events_schema_versions_total}, {@code edgegate_events_upcast_total} and {@code
 * edgegate_devices_on_old_schema}; the counts survive a processor swapped by a reload.
 */
class SchemaDriftTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final EventIds ids = new EventIds(Clock.systemUTC());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GatewayMetrics metrics = new GatewayMetrics(registry, Clock.systemUTC());
  private final SchemaVersions versions = new SchemaVersions(1_000, metrics);
  @TempDir Path dir;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(
        dir.resolve("v1.json"),
        "{\"type\":\"object\",\"required\":[\"temp\"],\"properties\":{\"temp\":{\"type\":\"number\"}}}");
    Files.writeString(
        dir.resolve("v2.json"),
        "{\"type\":\"object\",\"required\":[\"temperature\",\"unit\"],\"properties\":{"
            + "\"temperature\":{\"type\":\"number\"},\"unit\":{\"enum\":[\"C\",\"F\"]}}}");
    Files.writeString(
        dir.resolve("v3.json"),
        "{\"type\":\"object\",\"required\":[\"temperature\"],\"properties\":{"
            + "\"temperature\":{\"type\":\"number\"}}}");
  }

  private EventProcessor processor(String extraVersion, int current) throws Exception {
    GatewayConfig config =
        ConfigLoader.parse(
            "test.yaml",
            """
            gateway: {id: gw}
            kafka: {bootstrapServers: 'k:9092', deadLetterTopic: dlq}
            pipeline:
              routes:
                - {match: 'devices/{deviceId}/telemetry', topic: iot.telemetry, schema: telemetry,
                   version: {field: v}, format: json}
              schemas:
                telemetry:
                  current: %d
                  versions:
                    1: {file: '%s', upcast: {rename: {temp: temperature}, defaults: {unit: C}}}
                    2: {file: '%s'}
                    %s
            """
                .formatted(current, dir.resolve("v1.json"), dir.resolve("v2.json"), extraVersion));
    return new EventProcessor(
        config,
        JSON,
        DeviceRegistry.none(),
        SchemaCatalog.load(config.pipeline.schemas, JSON),
        metrics,
        versions);
  }

  private JournalEvent event(String device, String payload) {
    return new JournalEvent(
        1,
        ids.next(),
        1_700_000_000_000L,
        1,
        device,
        "devices/" + device + "/telemetry",
        null,
        List.of(),
        payload.getBytes(StandardCharsets.UTF_8));
  }

  private double count(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? -1 : c.count();
  }

  private double onOld() {
    return registry
        .find(GatewayMetrics.DEVICES_ON_OLD_SCHEMA)
        .tags("type", "telemetry")
        .gauge()
        .value();
  }

  @Test
  void countsVersionsUpcastsAndDevicesOnTheOldVersion() throws Exception {
    EventProcessor p = processor("", 2);
    p.adoptVersions();
    // every configured version is a series at 0 before the first event
    assertThat(count(GatewayMetrics.SCHEMA_VERSIONS, "type", "telemetry", "version", "1")).isZero();
    assertThat(count(GatewayMetrics.UPCAST, "type", "telemetry", "from", "1", "to", "2")).isZero();

    p.process(event("dev-a", "{\"v\":1,\"temp\":20}"));
    p.process(event("dev-b", "{\"v\":1,\"temp\":21}"));
    p.process(event("dev-a", "{\"v\":1,\"temp\":22}"));
    p.process(event("dev-c", "{\"v\":2,\"temperature\":23,\"unit\":\"C\"}"));
    p.process(event("dev-d", "{\"v\":1}")); // invalid: a dead letter, not counted here
    versions.publish();

    assertThat(count(GatewayMetrics.SCHEMA_VERSIONS, "type", "telemetry", "version", "1"))
        .isEqualTo(3);
    assertThat(count(GatewayMetrics.SCHEMA_VERSIONS, "type", "telemetry", "version", "2"))
        .isEqualTo(1);
    assertThat(count(GatewayMetrics.UPCAST, "type", "telemetry", "from", "1", "to", "2"))
        .isEqualTo(3);
    assertThat(onOld()).isEqualTo(2);
    assertThat(versions.types())
        .extracting(
            TypeVersion::version, TypeVersion::events, TypeVersion::upcast, TypeVersion::devices)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1", 3L, 3L, 2),
            org.assertj.core.groups.Tuple.tuple("2", 1L, 0L, 1));
  }

  @Test
  void aReloadedProcessorGoesOnCountingAndNewVersionsAppear() throws Exception {
    EventProcessor before = processor("", 2);
    before.process(event("dev-a", "{\"v\":1,\"temp\":20}"));
    before.process(event("dev-b", "{\"v\":2,\"temperature\":23,\"unit\":\"F\"}"));

    EventProcessor after =
        processor("3: {file: '" + dir.resolve("v3.json") + "'}", 3); // v2 needs no upcast to v3
    after.adoptVersions();
    assertThat(count(GatewayMetrics.SCHEMA_VERSIONS, "type", "telemetry", "version", "3")).isZero();
    after.process(event("dev-c", "{\"v\":3,\"temperature\":24}"));
    after.process(event("dev-a", "{\"v\":1,\"temp\":20}"));
    versions.publish();

    assertThat(count(GatewayMetrics.SCHEMA_VERSIONS, "type", "telemetry", "version", "1"))
        .isEqualTo(2);
    assertThat(count(GatewayMetrics.SCHEMA_VERSIONS, "type", "telemetry", "version", "3"))
        .isEqualTo(1);
    assertThat(count(GatewayMetrics.UPCAST, "type", "telemetry", "from", "1", "to", "2"))
        .isEqualTo(1);
    assertThat(count(GatewayMetrics.UPCAST, "type", "telemetry", "from", "1", "to", "3"))
        .isEqualTo(1);
    assertThat(onOld()).isEqualTo(2); // dev-a on v1, dev-b on v2: both older than v3 now
    assertThat(versions.types())
        .extracting(TypeVersion::version, TypeVersion::events, TypeVersion::newest)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1", 2L, false),
            org.assertj.core.groups.Tuple.tuple("2", 1L, false),
            org.assertj.core.groups.Tuple.tuple("3", 1L, true));
  }
}
