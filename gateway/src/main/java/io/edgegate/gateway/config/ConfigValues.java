package io.edgegate.gateway.config;

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
 * Parsers for the human forms of durations ({@code 250ms}, {@code 10s}) and sizes ({@code 64MiB}).
 */
public final class ConfigValues {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  private ConfigValues() {}

  /**
   * {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 7d}, or ISO-8601 ({@code PT10S}).
   */
  public static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (use e.g. 250ms, 10s, 5m, 1h, 7d)");
    }
  }

  /**
   * Bytes, with an optional unit: {@code 512}, {@code 64KiB}, {@code 16MB}, {@code 2GiB}
   * (1024-based).
   */
  public static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size (use e.g. 65536, 64KiB, 16MiB, 2GiB)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    long factor =
        switch (unit.charAt(0)) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          case 'g' -> 1L << 30;
          default -> 1L;
        };
    return Math.multiplyExact(n, factor);
  }

  /** Jackson binding for {@link #parseDuration}. */
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
}
