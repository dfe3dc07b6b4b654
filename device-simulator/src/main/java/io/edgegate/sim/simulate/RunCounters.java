package io.edgegate.sim.simulate;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a run did so far. Written from the pacer and the MQTT client's threads, read by the progress
 * printer: all counters are thread-safe, and a {@link #snapshot} is consistent enough for a report
 * (each counter exact, the set not atomic).
 */
final class RunCounters {
  /** Longest publish-to-acknowledgement time recorded: longer ones are clamped to it. */
  private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);

  final LongAdder sent = new LongAdder();
  final LongAdder acknowledged = new LongAdder();
  final LongAdder written = new LongAdder(); // QoS 0: handed to the network
  final LongAdder failed = new LongAdder();
  final LongAdder late = new LongAdder(); // outcomes after the run stopped waiting for them
  final LongAdder connects = new LongAdder();
  final LongAdder connectFailures = new LongAdder();
  final LongAdder drops = new LongAdder();
  final LongAdder churned = new LongAdder();
  final AtomicInteger connected = new AtomicInteger();
  private final Recorder ackLatency = new Recorder(MAX_LATENCY_MICROS, 3);

  void recordAckLatency(long nanos) {
    ackLatency.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, nanos / 1000)));
  }

  /** Acknowledgement latencies (µs) recorded since the previous call. Called by one thread. */
  Histogram takeAckLatencies(Histogram recycle) {
    return ackLatency.getIntervalHistogram(recycle);
  }

  Snapshot snapshot() {
    long s = sent.sum();
    long outcomes = acknowledged.sum() + written.sum() + failed.sum() + late.sum();
    return new Snapshot(
        s,
        acknowledged.sum(),
        written.sum(),
        failed.sum(),
        Math.max(0, s - outcomes),
        connects.sum(),
        connectFailures.sum(),
        drops.sum(),
        churned.sum(),
        connected.get());
  }

  record Snapshot(
      long sent,
      long acknowledged,
      long written,
      long failed,
      long inFlight,
      long connects,
      long connectFailures,
      long drops,
      long churned,
      int connected) {
    /** Failed publishes, failed connection attempts and connections the broker or network cut. */
    long errors() {
      return failed + connectFailures + drops;
    }
  }
}
