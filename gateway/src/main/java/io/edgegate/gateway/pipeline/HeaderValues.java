package io.edgegate.gateway.pipeline;

import java.time.Instant;
import java.util.UUID;

/**
 * Header values written straight into bytes, the same bytes as the {@code String} forms the
 * CloudEvents contract names ({@link UUID#toString()}, {@link Instant#toString()}, {@link
 * java.net.URLEncoder}), without the strings, builders and formatters those allocate per event.
 * Pure; thread-safe.
 */
final class HeaderValues {
  private static final byte[] HEX = "0123456789abcdef".getBytes();
  private static final byte[] UPPER_HEX = "0123456789ABCDEF".getBytes();
  // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: Instant.toString uses four-digit years
  // in between and a sign outside.
  private static final long MIN_FOUR_DIGIT_YEAR_MILLIS = -62_167_219_200_000L;
  private static final long MAX_FOUR_DIGIT_YEAR_MILLIS = 253_402_300_799_999L;

  private HeaderValues() {}

  /** {@code id.toString()} as ASCII bytes. */
  static byte[] uuid(UUID id) {
    byte[] out = new byte[36];
    long msb = id.getMostSignificantBits();
    long lsb = id.getLeastSignificantBits();
    hex(msb >>> 32, 8, out, 0);
    out[8] = '-';
    hex(msb >>> 16, 4, out, 9);
    out[13] = '-';
    hex(msb, 4, out, 14);
    out[18] = '-';
    hex(lsb >>> 48, 4, out, 19);
    out[23] = '-';
    hex(lsb, 12, out, 24);
    return out;
  }

  /** {@code Instant.ofEpochMilli(millis).toString()} as ASCII bytes (ISO-8601, UTC). */
  static byte[] instant(long millis) {
    if (millis < MIN_FOUR_DIGIT_YEAR_MILLIS || millis > MAX_FOUR_DIGIT_YEAR_MILLIS) {
      return Instant.ofEpochMilli(millis)
          .toString()
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
    long days = Math.floorDiv(millis, 86_400_000L);
    int msOfDay = (int) Math.floorMod(millis, 86_400_000L);
    // Civil date from days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date
    // Algorithms", days_from_civil's inverse), proleptic Gregorian like java.time.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    int ms = msOfDay % 1000;
    byte[] out = new byte[ms == 0 ? 20 : 24];
    digits(year, 4, out, 0);
    out[4] = '-';
    digits(month, 2, out, 5);
    out[7] = '-';
    digits(day, 2, out, 8);
    out[10] = 'T';
    int seconds = msOfDay / 1000;
    digits(seconds / 3600, 2, out, 11);
    out[13] = ':';
    digits(seconds / 60 % 60, 2, out, 14);
    out[16] = ':';
    digits(seconds % 60, 2, out, 17);
    if (ms != 0) {
      out[19] = '.';
      digits(ms, 3, out, 20);
    }
    out[out.length - 1] = 'Z';
    return out;
  }

  /**
   * {@code prefix} followed by {@code utf8} as {@link java.net.URLEncoder#encode(String,
   * java.nio.charset.Charset)} with UTF-8 encodes it: letters, digits and {@code .-*_} kept, space
   * as {@code +}, every other byte as {@code %XX}.
   */
  static byte[] urlEncoded(byte[] prefix, byte[] utf8) {
    int n = prefix.length;
    for (byte b : utf8) {
      n += keeps(b) || b == ' ' ? 1 : 3;
    }
    byte[] out = new byte[n];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    int at = prefix.length;
    for (byte b : utf8) {
      if (keeps(b)) {
        out[at++] = b;
      } else if (b == ' ') {
        out[at++] = '+';
      } else {
        out[at++] = '%';
        out[at++] = UPPER_HEX[(b >> 4) & 0xF];
        out[at++] = UPPER_HEX[b & 0xF];
      }
    }
    return out;
  }

  private static boolean keeps(byte b) {
    return (b >= 'a' && b <= 'z')
        || (b >= 'A' && b <= 'Z')
        || (b >= '0' && b <= '9')
        || b == '.'
        || b == '-'
        || b == '*'
        || b == '_';
  }

  /** The low {@code n} hex digits of {@code v}, lower case, into {@code out} at {@code at}. */
  static void hex(long v, int n, byte[] out, int at) {
    for (int i = n - 1; i >= 0; i--) {
      out[at + i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
  }

  private static void digits(int v, int n, byte[] out, int at) {
    for (int i = n - 1; i >= 0; i--) {
      out[at + i] = (byte) ('0' + v % 10);
      v /= 10;
    }
  }
}
