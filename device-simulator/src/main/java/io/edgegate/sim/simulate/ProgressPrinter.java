package io.edgegate.sim.simulate;

import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The progress line, once a second:
 *
 * <pre>
 * [  12s] sent 60,012 (5,001/s)  acked 59,950  in-flight 62  errors 0  connected 1,000/1,000  ack p99 14.2 ms
 * </pre>
 *
 * Runs on the scheduler thread only; <b>not thread-safe</b>.
 */
final class ProgressPrinter {
  private static final long MIN_INTERVAL_NANOS = 500_000_000;

  private final PrintStream out;
  private final RunCounters counters;
  private final AckLatencies latencies;
  private final RateSchedule schedule;
  private final int devices;
  private final long startNanos;
  private long lastNanos;
  private long lastSent;

  ProgressPrinter(
      PrintStream out,
      RunCounters counters,
      AckLatencies latencies,
      RateSchedule schedule,
      int devices,
      long startNanos) {
    this.out = out;
    this.counters = counters;
    this.latencies = latencies;
    this.schedule = schedule;
    this.devices = devices;
    this.startNanos = startNanos;
    this.lastNanos = startNanos;
  }

  void print() {
    long now = System.nanoTime();
    if (now - lastNanos < MIN_INTERVAL_NANOS) {
      return; // a fixed-rate schedule catching up after a stall: one line is enough
    }
    RunCounters.Snapshot s = counters.snapshot();
    double rate = (s.sent() - lastSent) / ((now - lastNanos) / 1e9);
    lastNanos = now;
    lastSent = s.sent();
    Histogram h = latencies.interval();
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "[%5ds] sent %s (%s)",
            Math.round((now - startNanos) / 1e9),
            Numbers.count(s.sent()),
            Numbers.rate(rate)));
    b.append(
        s.written() > 0 && s.acknowledged() == 0
            ? "  written " + Numbers.count(s.written())
            : "  acked " + Numbers.count(s.acknowledged()));
    b.append("  in-flight ").append(Numbers.count(s.inFlight()));
    b.append("  errors ").append(Numbers.count(s.errors()));
    b.append("  connected ")
        .append(Numbers.count(s.connected()))
        .append('/')
        .append(Numbers.count(devices));
    if (h.getTotalCount() > 0) {
      b.append("  ack p99 ").append(Numbers.micros(h.getValueAtPercentile(99)));
    }
    double factor = schedule.factor(now - startNanos);
    if (factor != 1) {
      b.append("  burst x").append(io.edgegate.sim.scenario.Values.formatRate(factor));
    }
    out.println(b);
  }
}
