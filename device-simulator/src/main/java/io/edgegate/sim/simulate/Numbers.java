package io.edgegate.sim.simulate;

import java.util.Locale;

/** Number formats of the progress lines and summaries. */
public final class Numbers {
  private Numbers() {}

  /** {@code 1,234,567}. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A rate per second: {@code 1,234/s}, {@code 0.5/s}, {@code max}. */
  public static String rate(double perSecond) {
    if (Double.isInfinite(perSecond)) {
      return "max";
    }
    return perSecond >= 10 || perSecond == Math.rint(perSecond)
        ? String.format(Locale.ROOT, "%,.0f/s", perSecond)
        : String.format(Locale.ROOT, "%.2f/s", perSecond);
  }

  /** Microseconds as milliseconds: {@code 12.3 ms}. */
  public static String micros(long micros) {
    return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }
}
