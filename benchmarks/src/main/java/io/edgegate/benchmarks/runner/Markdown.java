package io.edgegate.benchmarks.runner;

import java.util.Locale;

/**
 * The report's text as it is written, line by line, and its number formats: Locale.ROOT, thousands
 * separated, and "n/m" (not measured) for a figure a run has no row for (NaN). Not thread-safe.
 */
final class Markdown {
  private final StringBuilder md = new StringBuilder();

  void line(String s) {
    md.append(s).append('\n');
  }

  /** A second-level heading and the blank line after it. */
  void heading(String title) {
    line("## " + title);
    line("");
  }

  String text() {
    return md.toString();
  }

  static String num(double v) {
    return Double.isNaN(v) ? "n/m" : String.format(Locale.ROOT, "%,.0f", v);
  }

  static String num1(double v) {
    return Double.isNaN(v) ? "n/m" : String.format(Locale.ROOT, "%,.1f", v);
  }

  static String num2(double v) {
    return Double.isNaN(v) ? "n/m" : String.format(Locale.ROOT, "%,.2f", v);
  }

  static String pct(double v) {
    return Double.isNaN(v) ? "n/m" : String.format(Locale.ROOT, "%.0f %%", v * 100);
  }

  /** a ÷ b as "1.23×"; "n/m" when either is missing or b is 0. */
  static String ratio(double a, double b) {
    double q = a / b;
    return Double.isNaN(q) || Double.isInfinite(q) ? "n/m" : num2(q) + "×";
  }
}
