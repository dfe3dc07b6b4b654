package io.edgegate.gateway.pipeline.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.pipeline.PipelineStats;
import io.edgegate.gateway.pipeline.schema.SchemaVersionsView.DeviceVersion;
import io.edgegate.gateway.pipeline.schema.SchemaVersionsView.TypeVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counts per (type, version), the devices on each, eviction, confinement, the snapshot. */
class SchemaVersionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private SchemaCatalog twoVersions;
  private SchemaCatalog threeVersions;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(dir.resolve("v1.json"), "{\"type\":\"object\"}");
    Files.writeString(dir.resolve("v2.json"), "{\"type\":\"object\"}");
    Files.writeString(dir.resolve("v3.json"), "{\"type\":\"object\"}");
    twoVersions = catalog(2, "1: {file: '%1$s/v1.json'}\n        2: {file: '%1$s/v2.json'}");
    threeVersions =
        catalog(
            3,
            "1: {file: '%1$s/v1.json'}\n        2: {file: '%1$s/v2.json'}\n"
                + "        3: {file: '%1$s/v3.json'}");
  }

  private SchemaCatalog catalog(int current, String versions) throws Exception {
    GatewayConfig config =
        ConfigLoader.parse(
            "test.yaml",
            ("""
            gateway: {id: gw}
            kafka: {bootstrapServers: 'k:9092'}
            pipeline:
              schemas:
                telemetry:
                  current: %d
                  versions:
                    %s
                status:
                  current: 1
                  versions:
                    1: {file: '%s/v1.json'}
            """)
                .formatted(current, versions.formatted(dir), dir));
    return SchemaCatalog.load(config.pipeline.schemas, JSON);
  }

  @Test
  void countsEventsUpcastsAndDevicesPerVersionWithFirstAndLastSeen() {
    SchemaVersions v = new SchemaVersions(100, PipelineStats.NONE);
    v.adopt(twoVersions);
    v.record("telemetry", 1, "dev-a", 1_000);
    v.record("telemetry", 1, "dev-b", 1_500);
    v.record("telemetry", 1, "dev-a", 2_000);
    v.record("telemetry", 2, "dev-c", 3_000);
    v.record("status", 1, "dev-a", 4_000);
    v.publish();

    assertThat(v.types())
        .containsExactly(
            new TypeVersion("status", "1", 1, 0, 1, 4_000, 4_000, true),
            new TypeVersion("telemetry", "1", 3, 3, 2, 1_000, 2_000, false),
            new TypeVersion("telemetry", "2", 1, 0, 1, 3_000, 3_000, true));
    // the device part is built once asked for: on the next publication
    assertThat(v.devicesOnOldVersions()).isEmpty();
    v.publish();
    assertThat(v.devicesOnOldVersions())
        .containsExactly(
            new DeviceVersion("dev-a", "telemetry", "1", "2", 2_000),
            new DeviceVersion("dev-b", "telemetry", "1", "2", 1_500));
    assertThat(v.versionsOf("dev-a")).isEqualTo(Map.of("telemetry", "1", "status", "1"));
    assertThat(v.versionsOf("dev-c")).isEqualTo(Map.of("telemetry", "2"));
    assertThat(v.versionsOf("nobody")).isEmpty();
  }

  @Test
  void aDeviceThatMovesToTheNewVersionLeavesTheOldOnesDevices() {
    SchemaVersions v = new SchemaVersions(100, PipelineStats.NONE);
    v.adopt(twoVersions);
    v.record("telemetry", 1, "dev-a", 1_000);
    v.record("telemetry", 2, "dev-a", 2_000);
    v.devicesOnOldVersions();
    v.publish();
    assertThat(v.types())
        .extracting(TypeVersion::version, TypeVersion::events, TypeVersion::devices)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1", 1L, 0),
            org.assertj.core.groups.Tuple.tuple("2", 1L, 1));
    assertThat(v.devicesOnOldVersions()).isEmpty();
    assertThat(v.versionsOf("dev-a")).containsEntry("telemetry", "2");
  }

  @Test
  void forgetsTheLeastRecentlySeenDeviceOverTheBoundAndCountsIt() {
    int[] evicted = {0};
    SchemaVersions v =
        new SchemaVersions(
            2,
            new PipelineStats() {
              @Override
              public void schemaDeviceEvicted() {
                evicted[0]++;
              }
            });
    v.adopt(twoVersions);
    v.record("telemetry", 1, "dev-a", 1_000);
    v.record("telemetry", 1, "dev-b", 2_000);
    v.record("telemetry", 1, "dev-a", 3_000); // dev-b is now the least recently seen
    v.record("telemetry", 2, "dev-c", 4_000);
    assertThat(v.trackedDevices()).isEqualTo(2);
    assertThat(v.evictions()).isEqualTo(1);
    assertThat(evicted[0]).isEqualTo(1);
    v.versionsOf("dev-b");
    v.publish();
    assertThat(v.versionsOf("dev-b")).isEmpty();
    assertThat(v.versionsOf("dev-a")).containsEntry("telemetry", "1");
    // the events stay counted; the forgotten device no longer counts among v1's devices
    assertThat(v.types())
        .extracting(TypeVersion::version, TypeVersion::events, TypeVersion::devices)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1", 3L, 1),
            org.assertj.core.groups.Tuple.tuple("2", 1L, 1));
    for (int i = 0; i < 1_000; i++) {
      v.record("telemetry", 2, "dev-" + i, 5_000 + i);
    }
    assertThat(v.trackedDevices()).isEqualTo(2);
    assertThat(v.evictions()).isEqualTo(1 + 1_000);
  }

  @Test
  void aReloadKeepsTheCountsAndAddsTheNewVersions() {
    SchemaVersions v = new SchemaVersions(100, PipelineStats.NONE);
    v.adopt(twoVersions);
    v.record("telemetry", 1, "dev-a", 1_000);
    v.record("telemetry", 2, "dev-b", 2_000);
    v.adopt(threeVersions); // v3 is current now: dev-b's v2 is old too
    v.record("telemetry", 3, "dev-c", 3_000);
    v.record("telemetry", 2, "dev-b", 4_000);
    v.devicesOnOldVersions();
    v.publish();
    assertThat(v.types())
        .containsExactly(
            new TypeVersion("telemetry", "1", 1, 1, 1, 1_000, 1_000, false),
            new TypeVersion("telemetry", "2", 2, 1, 1, 2_000, 4_000, false),
            new TypeVersion("telemetry", "3", 1, 0, 1, 3_000, 3_000, true));
    assertThat(v.devicesOnOldVersions())
        .extracting(DeviceVersion::deviceId, DeviceVersion::version, DeviceVersion::newestVersion)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dev-a", "1", "3"),
            org.assertj.core.groups.Tuple.tuple("dev-b", "2", "3"));
  }

  @Test
  void ignoresWhatWasNotAdopted() {
    SchemaVersions v = new SchemaVersions(100, PipelineStats.NONE);
    v.adopt(twoVersions);
    v.record("unknown", 1, "dev-a", 1_000);
    v.record("telemetry", 7, "dev-a", 1_000);
    v.publish();
    assertThat(v.types()).isEmpty();
    assertThat(v.trackedDevices()).isZero();
  }

  @Test
  void anUpdateOffItsOwnersThreadFails() throws Exception {
    SchemaVersions v = new SchemaVersions(100, PipelineStats.NONE);
    v.adopt(twoVersions); // this thread owns it from now on
    CompletableFuture<Throwable> failure =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                v.record("telemetry", 1, "dev-a", 1_000);
                return null;
              } catch (Throwable t) {
                return t;
              }
            });
    assertThat(failure.get(10, TimeUnit.SECONDS))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("confined to");
    assertThatThrownBy(() -> CompletableFuture.runAsync(v::publish).join())
        .hasCauseInstanceOf(AssertionError.class);
  }

  @Test
  void anotherThreadReadsTheSnapshotPublishedLast() throws Exception {
    SchemaVersions v = new SchemaVersions(100, PipelineStats.NONE);
    v.adopt(twoVersions);
    v.record("telemetry", 1, "dev-a", 1_000);
    assertThat(CompletableFuture.supplyAsync(v::types).get(10, TimeUnit.SECONDS)).isEmpty();
    v.publish();
    List<TypeVersion> seen = CompletableFuture.supplyAsync(v::types).get(10, TimeUnit.SECONDS);
    assertThat(seen).extracting(TypeVersion::events).containsExactly(1L);
    v.record("telemetry", 1, "dev-a", 2_000);
    // what a reader holds does not change under it
    assertThat(seen.get(0).events()).isEqualTo(1);
    assertThatThrownBy(() -> seen.add(seen.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
    CompletableFuture.runAsync(v::devicesOnOldVersions).get(10, TimeUnit.SECONDS);
    v.publish();
    assertThat(CompletableFuture.supplyAsync(v::devicesOnOldVersions).get(10, TimeUnit.SECONDS))
        .containsExactly(new DeviceVersion("dev-a", "telemetry", "1", "2", 2_000));
    assertThat(CompletableFuture.supplyAsync(() -> v.versionsOf("dev-a")).get(10, TimeUnit.SECONDS))
        .isEqualTo(Map.of("telemetry", "1"));
  }
}
