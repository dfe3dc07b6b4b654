package io.edgegate.gateway.pipeline.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceRegistryTest {
  @TempDir Path dir;

  @Test
  void yamlFlattensNestedValuesAndReloadsOnlyWhenChanged() throws Exception {
    Path f = dir.resolve("devices.yaml");
    Files.writeString(
        f, "dev-1: {site: plant-a, model: X1, location: {lat: 1.5, lon: 2}, tags: [a, b]}\n");
    DeviceRegistry r = new DeviceRegistry(f);
    assertThat(r.reloadIfChanged()).isTrue();
    assertThat(r.lookup("dev-1"))
        .isEqualTo(
            Map.of(
                "site",
                "plant-a",
                "model",
                "X1",
                "location.lat",
                "1.5",
                "location.lon",
                "2",
                "tags",
                "a,b"));
    assertThat(r.reloadIfChanged()).isFalse();

    Files.writeString(f, "dev-1: {site: plant-b}\ndev-2: {site: plant-c}\n");
    Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertThat(r.reloadIfChanged()).isTrue();
    assertThat(r.lookup("dev-1")).containsEntry("site", "plant-b");
    assertThat(r.size()).isEqualTo(2);
  }

  @Test
  void csvUsesTheFirstColumnAsTheDeviceId() throws Exception {
    Path f = dir.resolve("devices.csv");
    Files.writeString(
        f, "id,site,model,owner\ndev-1,plant-a,X1,\"Ops, North\"\ndev-2,plant-b,X2,\n");
    DeviceRegistry r = new DeviceRegistry(f);
    r.reloadIfChanged();
    assertThat(r.lookup("dev-1"))
        .isEqualTo(Map.of("site", "plant-a", "model", "X1", "owner", "Ops, North"));
    assertThat(r.lookup("dev-2")).isEqualTo(Map.of("site", "plant-b", "model", "X2"));
  }

  @Test
  void aBrokenFileKeepsTheLastGoodRegistry() throws Exception {
    Path f = dir.resolve("devices.yaml");
    Files.writeString(f, "dev-1: {site: plant-a}\n");
    DeviceRegistry r = new DeviceRegistry(f);
    r.reloadIfChanged();
    Files.writeString(f, "dev-1: [unclosed\n");
    Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertThatThrownBy(r::reloadIfChanged).isInstanceOf(Exception.class);
    assertThat(r.lookup("dev-1")).containsEntry("site", "plant-a");
  }
}
