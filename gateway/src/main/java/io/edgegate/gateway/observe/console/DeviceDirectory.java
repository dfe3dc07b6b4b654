package io.edgegate.gateway.observe.console;

import io.edgegate.gateway.ingest.ConnectedDevice;
import java.util.List;

/**
 * The connected devices, read from their connections when the console asks (nothing is kept for
 * it): bounded by the connections themselves ({@code mqtt.limits.maxConnections}). Thread-safe.
 */
public interface DeviceDirectory {
  /** Every connected device, in no order. */
  List<ConnectedDevice> devices();

  /** One connected device, or null. */
  ConnectedDevice device(String clientId);

  /** Devices whose sockets wait for journal room. */
  int paused();

  DeviceDirectory NONE =
      new DeviceDirectory() {
        @Override
        public List<ConnectedDevice> devices() {
          return List.of();
        }

        @Override
        public ConnectedDevice device(String clientId) {
          return null;
        }

        @Override
        public int paused() {
          return 0;
        }
      };
}
