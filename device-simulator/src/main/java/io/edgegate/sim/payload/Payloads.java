package io.edgegate.sim.payload;

import io.edgegate.sim.scenario.PayloadSettings;
import java.util.SplittableRandom;

/** Creates each device's {@link PayloadSource} from the scenario's {@code payload} settings. */
public final class Payloads {
  private Payloads() {}

  /**
   * @param random the device's own generator (split from the run's seed, so a seed reproduces every
   *     device's payloads)
   */
  public static PayloadSource forDevice(PayloadSettings settings, SplittableRandom random) {
    return switch (settings.profile) {
      case JSON ->
          new TelemetryPayloads(random, settings.size == null ? 0 : (int) (long) settings.size);
      case BINARY -> BinaryPayloads.random(random, (int) settings.minSize, (int) settings.maxSize);
      case FIXED -> BinaryPayloads.fixed(settings.fixedSize());
    };
  }
}
