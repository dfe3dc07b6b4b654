package io.edgegate.sim.cli;

import io.edgegate.sim.scenario.BurstSettings;
import io.edgegate.sim.scenario.Values;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value converters: the notations of scenario files, on the command line. */
final class Converters {
  private Converters() {}

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Values.parseDuration(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Values.parseSize(value);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class RateConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        return Values.parseRate(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class BurstConverter implements ITypeConverter<BurstSettings> {
    @Override
    public BurstSettings convert(String value) {
      try {
        return BurstSettings.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** An instant: ISO-8601 ({@code 2026-11-23T15:00:00Z}), {@code now}, or a duration ago. */
  static Instant instant(String value, Clock clock) {
    String v = value.trim();
    if (v.equalsIgnoreCase("now")) {
      return clock.instant();
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return clock.instant().minus(Values.parseDuration(v));
      } catch (IllegalArgumentException notDuration) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not a time (use 2026-11-23T15:00:00Z, now, or a duration ago: 10m)");
      }
    }
  }
}
