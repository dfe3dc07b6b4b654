package io.edgegate.gateway.pipeline;

import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.pipeline.enrich.DeviceRegistry;
import io.edgegate.gateway.thread.Confinement;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;

/**
 * Which device an event is from, and what the registry knows of it. Rule: the device id is the
 * route's {@code {deviceId}} variable, else the client id; a device missing from a configured
 * registry is counted and then, by {@code pipeline.registry.unknownDevices}, dead-lettered,
 * accepted with the {@code edgegate_device_unknown} header, or accepted as it is. Without a
 * registry file every device is accepted and has no metadata.
 *
 * <p><b>Confined to the pipeline's event loop</b>, like the {@link EventProcessor} that owns it
 * (the registry it reads is swapped atomically by its reloader).
 */
final class DeviceLookup {
  private static final Header DEVICE_UNKNOWN = Envelope.constant("edgegate_device_unknown", "true");

  private final DeviceRegistry registry;
  private final PipelineConfig.Registry.UnknownDevices unknownDevices;
  private final PipelineStats stats;
  private final Confinement.Owner owner;

  DeviceLookup(
      DeviceRegistry registry,
      PipelineConfig.Registry config,
      PipelineStats stats,
      Confinement.Owner owner) {
    this.registry = registry;
    this.unknownDevices = config.unknownDevices;
    this.stats = stats;
    this.owner = owner;
  }

  DeviceRegistry registry() {
    return registry;
  }

  /** The device id of an event with the route variables {@code vars}. */
  static String deviceId(Map<String, String> vars, JournalEvent e) {
    return vars.getOrDefault("deviceId", e.clientId());
  }

  /** The registry's metadata of {@code deviceId}; null if it has none. */
  Map<String, String> metadata(String deviceId) {
    assert owner.check();
    return registry.lookup(deviceId);
  }

  /**
   * Applies the unknown-device rule to a device whose metadata is {@code meta}: true if its event
   * is to be dead-lettered; a flag, when accepted flagged, goes to {@code headers}.
   */
  boolean refuses(Map<String, String> meta, List<Header> headers) {
    assert owner.check();
    if (meta != null || !registry.configured()) {
      return false;
    }
    stats.unknownDevice();
    switch (unknownDevices) {
      case DEAD_LETTER -> {
        return true;
      }
      case ACCEPT_AND_FLAG -> headers.add(DEVICE_UNKNOWN);
      case ACCEPT -> {}
    }
    return false;
  }
}
