package io.edgegate.gateway.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * W3C Trace Context {@code traceparent} values: {@code 00-<trace-id>-<parent-id>-<flags>}.
 *
 * <p>A valid value from the device is kept as it is. Otherwise the gateway starts the trace, with
 * the trace id taken from the event id: a re-sent event then carries the same trace.
 */
public final class TraceParent {
  private TraceParent() {}

  /** True for a version-00 {@code traceparent} with non-zero ids (W3C Trace Context, §3.2). */
  public static boolean isValid(String value) {
    if (value == null || value.length() != 55) {
      return false;
    }
    if (!value.startsWith("00-") || value.charAt(35) != '-' || value.charAt(52) != '-') {
      return false;
    }
    return isLowerHex(value, 3, 35)
        && isLowerHex(value, 36, 52)
        && isLowerHex(value, 53, 55)
        && !isZero(value, 3, 35)
        && !isZero(value, 36, 52);
  }

  /** A new sampled {@code traceparent} whose trace id is the event id. */
  public static String startFor(UUID eventId) {
    return new String(startBytesFor(eventId), StandardCharsets.US_ASCII);
  }

  /** {@link #startFor} as the ASCII bytes a header carries. */
  static byte[] startBytesFor(UUID eventId) {
    long span =
        eventId.getLeastSignificantBits() ^ Long.rotateLeft(eventId.getMostSignificantBits(), 17);
    if (span == 0) {
      span = 1;
    }
    byte[] out = new byte[55];
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    HeaderValues.hex(eventId.getMostSignificantBits(), 16, out, 3);
    HeaderValues.hex(eventId.getLeastSignificantBits(), 16, out, 19);
    out[35] = '-';
    HeaderValues.hex(span, 16, out, 36);
    out[52] = '-';
    out[53] = '0';
    out[54] = '1';
    return out;
  }

  private static boolean isLowerHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
