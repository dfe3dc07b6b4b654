package io.edgegate.sim.simulate;

import io.edgegate.sim.scenario.DeviceSettings;

/**
 * Device ids: {@code idPrefix} and the device's number, zero-padded to the width of the largest
 * ({@code sim-0001} … {@code sim-1000}), so they sort in number order. Stateless.
 */
final class DeviceIds {
  private DeviceIds() {}

  static String id(DeviceSettings devices, int i) {
    int width = Math.max(4, String.valueOf((long) devices.firstIndex + devices.count - 1).length());
    String n = String.valueOf((long) devices.firstIndex + i);
    return devices.idPrefix + "0".repeat(Math.max(0, width - n.length())) + n;
  }

  /** The longest id of the run (all have the same length). */
  static String longest(DeviceSettings devices) {
    return id(devices, devices.count - 1);
  }
}
