package io.edgegate.sim.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * {@code rate.*}: the target message rate. {@code perDevice} scales with the devices connected at
 * the moment (so ramp-up and churn change the total); {@code total} is spread over the connected
 * devices. With both, the lower one applies. {@code max} means as fast as the in-flight windows
 * allow.
 */
public final class RateSettings {
  /** Messages per second per connected device; used when {@code total} is unset: 1. */
  @JsonDeserialize(using = Values.RateDeserializer.class)
  public Double perDevice;

  /** Messages per second over all devices. */
  @JsonDeserialize(using = Values.RateDeserializer.class)
  public Double total;

  /** The per-device rate in force: {@code perDevice}, else 1/s unless a total rate is set. */
  public double effectivePerDevice() {
    return perDevice != null ? perDevice : total != null ? Values.UNLIMITED : 1.0;
  }

  public double effectiveTotal() {
    return total != null ? total : Values.UNLIMITED;
  }

  void validate(Problems p) {
    p.require(perDevice == null || perDevice > 0, "rate.perDevice", "must be greater than 0");
    p.require(total == null || total > 0, "rate.total", "must be greater than 0");
  }
}
