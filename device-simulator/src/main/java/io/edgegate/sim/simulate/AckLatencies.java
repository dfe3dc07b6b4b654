package io.edgegate.sim.simulate;

import org.HdrHistogram.Histogram;

/**
 * Publish-to-acknowledgement latencies (µs) per progress interval and for the whole run, from the
 * counters' recorder. Thread-safe (the progress printer and the final summary take turns).
 */
final class AckLatencies {
  private final RunCounters counters;
  private final Histogram total = new Histogram(3);
  private Histogram interval;

  AckLatencies(RunCounters counters) {
    this.counters = counters;
  }

  /** Latencies since the previous call; also added to the total. */
  synchronized Histogram interval() {
    interval = counters.takeAckLatencies(interval);
    total.add(interval);
    return interval;
  }

  /** Everything recorded, up to now. */
  synchronized Histogram total() {
    interval();
    return total.copy();
  }
}
