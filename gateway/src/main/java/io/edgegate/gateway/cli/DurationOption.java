package io.edgegate.gateway.cli;

import io.edgegate.gateway.config.ConfigValues;
import java.time.Duration;
import picocli.CommandLine;

/** A duration given on the command line ({@code 30s}, {@code 5m}), checked as its option needs. */
final class DurationOption {
  private DurationOption() {}

  /** {@code value} of {@code option}, positive (or also zero when {@code zeroOk}); else exit 2. */
  static Duration parse(CommandLine cl, String option, String value, boolean zeroOk) {
    try {
      Duration d = ConfigValues.parseDuration(value);
      if (d.isNegative() || (!zeroOk && d.isZero())) {
        throw new IllegalArgumentException("'" + value + "' is not a positive duration");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, option + ": " + e.getMessage());
    }
  }
}
