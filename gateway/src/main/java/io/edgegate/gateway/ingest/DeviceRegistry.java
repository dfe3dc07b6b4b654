package io.edgegate.gateway.ingest;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The connected devices by client id, across all listener instances. One connection per client id:
 * a new one takes over and the old one is closed [MQTT-3.1.4-2]. Thread-safe.
 */
final class DeviceRegistry {
  private final ConcurrentHashMap<String, DeviceConnection> byClientId = new ConcurrentHashMap<>();

  void register(DeviceConnection connection) {
    DeviceConnection previous = byClientId.put(connection.clientId(), connection);
    if (previous != null && previous != connection) {
      previous.takenOver();
    }
  }

  void unregister(DeviceConnection connection) {
    byClientId.remove(connection.clientId(), connection);
  }

  /** Every connected device, in no order (read from their connections now). */
  java.util.List<ConnectedDevice> snapshot() {
    java.util.List<ConnectedDevice> out = new java.util.ArrayList<>(byClientId.size());
    for (DeviceConnection c : byClientId.values()) {
      out.add(c.snapshot());
    }
    return out;
  }

  /** One connected device, or null. */
  ConnectedDevice snapshot(String clientId) {
    DeviceConnection c = byClientId.get(clientId);
    return c == null ? null : c.snapshot();
  }

  int size() {
    return byClientId.size();
  }
}
