package io.edgegate.gateway.pipeline.schema;

/** A read-only snapshot of schema versions seen; thread-safe to call from any thread. */
public interface SchemaVersionsView {
  /** One row per (event type, schema version) seen since start, ordered by type then version. */
  java.util.List<TypeVersion> types();

  /** The schema version a device sent last, per event type; empty map if none seen. Bounded. */
  java.util.Map<String, String> versionsOf(String deviceId);

  /**
   * Devices whose last event of {@code type} was on an older version than the newest configured
   * one.
   */
  java.util.List<DeviceVersion> devicesOnOldVersions();

  /** The empty view (no schemas configured / not wired yet). */
  SchemaVersionsView NONE =
      new SchemaVersionsView() {
        @Override
        public java.util.List<TypeVersion> types() {
          return java.util.List.of();
        }

        @Override
        public java.util.Map<String, String> versionsOf(String deviceId) {
          return java.util.Map.of();
        }

        @Override
        public java.util.List<DeviceVersion> devicesOnOldVersions() {
          return java.util.List.of();
        }
      };

  record TypeVersion(
      String type,
      String version,
      long events,
      long upcast,
      int devices,
      long firstSeenMillis,
      long lastSeenMillis,
      boolean newest) {}

  record DeviceVersion(
      String deviceId, String type, String version, String newestVersion, long lastSeenMillis) {}
}
