package io.edgegate.sim.simulate;

import io.edgegate.sim.scenario.BurstSettings;
import io.edgegate.sim.scenario.RateSettings;
import java.util.List;

/**
 * The target rate at a moment of the run: the base rate ({@code rate.perDevice} times the devices
 * connected, capped by {@code rate.total}) times the factor of every burst in force (overlapping
 * bursts multiply). Immutable; thread-safe.
 */
final class RateSchedule {
  private final double perDevice;
  private final double total;
  private final List<BurstSettings> bursts;

  RateSchedule(RateSettings rate, List<BurstSettings> bursts) {
    this.perDevice = rate.effectivePerDevice();
    this.total = rate.effectiveTotal();
    this.bursts = List.copyOf(bursts);
  }

  /** Messages per second; {@link Double#POSITIVE_INFINITY} when unlimited. */
  double rate(long elapsedNanos, int connected) {
    if (connected <= 0) {
      return 0;
    }
    double base = Math.min(perDevice * connected, total);
    double factor = factor(elapsedNanos);
    return factor == 0 ? 0 : base * factor;
  }

  double factor(long elapsedNanos) {
    double factor = 1;
    for (BurstSettings b : bursts) {
      if (occurrence(b, elapsedNanos) >= 0) {
        factor *= b.factor;
      }
    }
    return factor;
  }

  List<BurstSettings> bursts() {
    return bursts;
  }

  /** Which occurrence (0, 1, …) of the burst is in force at that moment, or -1 for none. */
  static long occurrence(BurstSettings b, long elapsedNanos) {
    long at = b.at.toNanos();
    if (elapsedNanos < at) {
      return -1;
    }
    long since = elapsedNanos - at;
    long length = b.duration.toNanos();
    if (b.every == null) {
      return since < length ? 0 : -1;
    }
    long period = b.every.toNanos();
    return since % period < length ? since / period : -1;
  }
}
