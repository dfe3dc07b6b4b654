package io.edgegate.sim.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The human forms of durations ({@code 250ms}, {@code 10s}), sizes ({@code 4KiB}) and rates ({@code
 * 500}, {@code 2.5}, {@code max}) used in scenarios and on the command line.
 */
public final class Values {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib)?");

  /** A rate without a limit: as fast as the in-flight windows allow. */
  public static final double UNLIMITED = Double.POSITIVE_INFINITY;

  private Values() {}

  /**
   * {@code 250ms}, {@code 10s}, {@code 1.5s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT10S}).
   */
  public static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      double n = Double.parseDouble(m.group(1));
      double millis =
          switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
          };
      return Duration.ofNanos(Math.round(millis * 1_000_000));
    }
    try {
      return Duration.parse(text.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (use e.g. 250ms, 10s, 1.5s, 5m, 1h)");
    }
  }

  /** Bytes with an optional 1024-based unit: {@code 512}, {@code 4KiB}, {@code 1MiB}. */
  public static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size (use e.g. 512, 4KiB, 1MiB)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    long factor =
        switch (unit.charAt(0)) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          default -> 1L;
        };
    return Math.multiplyExact(n, factor);
  }

  /** Messages per second: a positive number, or {@code max} for no limit ({@link #UNLIMITED}). */
  public static double parseRate(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("max") || t.equals("unlimited")) {
      return UNLIMITED;
    }
    try {
      double r = Double.parseDouble(t.endsWith("/s") ? t.substring(0, t.length() - 2) : t);
      if (!(r > 0) || Double.isInfinite(r)) {
        throw new NumberFormatException();
      }
      return r;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a rate (use a number of messages per second, e.g. 10 or 0.5, or max)");
    }
  }

  /** Formats a duration the way it is written: {@code 250ms}, {@code 10s}, {@code 1.5s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms < 1000
          ? ms + "ms"
          : java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
    }
    long s = ms / 1000;
    return s % 3600 == 0 && s > 0 ? s / 3600 + "h" : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
  }

  public static String formatRate(double rate) {
    return Double.isInfinite(rate)
        ? "max"
        : rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
  }

  /** Jackson binding for {@link #parseDuration}; a bare number is milliseconds. */
  public static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      try {
        return p.currentToken().isNumeric()
            ? Duration.ofMillis(p.getLongValue())
            : parseDuration(p.getValueAsString());
      } catch (IllegalArgumentException e) {
        throw InvalidFormatException.from(p, e.getMessage(), p.getText(), Duration.class);
      }
    }
  }

  /** Jackson binding for {@link #parseSize}. */
  public static final class SizeDeserializer extends JsonDeserializer<Long> {
    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      try {
        return p.currentToken().isNumeric() ? p.getLongValue() : parseSize(p.getValueAsString());
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw InvalidFormatException.from(p, e.getMessage(), p.getText(), Long.class);
      }
    }
  }

  /** Jackson binding for {@link #parseRate}. */
  public static final class RateDeserializer extends JsonDeserializer<Double> {
    @Override
    public Double deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      try {
        return parseRate(p.getValueAsString());
      } catch (IllegalArgumentException e) {
        throw InvalidFormatException.from(p, e.getMessage(), p.getText(), Double.class);
      }
    }
  }
}
