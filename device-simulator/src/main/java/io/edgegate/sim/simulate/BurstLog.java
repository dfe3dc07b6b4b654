package io.edgegate.sim.simulate;

import io.edgegate.sim.scenario.BurstSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * What each burst achieved: messages sent and the target while it was in force. Keeps the first
 * {@link #MAX_KEPT} occurrences (repeating bursts of a long run are summarised, not listed). <b>Not
 * thread-safe</b>: filled by the pacer thread, read once the pacer has stopped.
 */
final class BurstLog {
  static final int MAX_KEPT = 100;

  private final List<BurstSettings> bursts;
  private final Occurrence[] current;
  private final List<Occurrence> kept = new ArrayList<>();
  private long dropped;

  BurstLog(List<BurstSettings> bursts) {
    this.bursts = bursts;
    this.current = new Occurrence[bursts.size()];
  }

  /** One pacer tick of {@code tickNanos} ending at {@code elapsedNanos}, at {@code rate}. */
  void tick(long elapsedNanos, long tickNanos, double rate, long sent) {
    for (int i = 0; i < current.length; i++) {
      long occurrence = RateSchedule.occurrence(bursts.get(i), elapsedNanos);
      if (occurrence < 0) {
        continue;
      }
      Occurrence o = current[i];
      if (o == null || o.occurrence != occurrence) {
        o = new Occurrence(i, occurrence, bursts.get(i));
        current[i] = o;
        if (kept.size() < MAX_KEPT) {
          kept.add(o);
        } else {
          dropped++;
        }
      }
      o.sent += sent;
      o.nanos += tickNanos;
      o.expected += Double.isInfinite(rate) ? Double.POSITIVE_INFINITY : rate * tickNanos / 1e9;
    }
  }

  List<Occurrence> occurrences() {
    return kept;
  }

  /** Occurrences beyond {@link #MAX_KEPT}, not listed. */
  long dropped() {
    return dropped;
  }

  /** One burst occurrence as it happened. */
  static final class Occurrence {
    final int burst;
    final long occurrence;
    final BurstSettings settings;
    long sent;
    long nanos;
    double expected;

    Occurrence(int burst, long occurrence, BurstSettings settings) {
      this.burst = burst;
      this.occurrence = occurrence;
      this.settings = settings;
    }

    /** Seconds after the start of the run. */
    double startSeconds() {
      long at =
          settings.at.toNanos()
              + (settings.every == null ? 0 : occurrence * settings.every.toNanos());
      return at / 1e9;
    }

    double achievedRate() {
      return nanos == 0 ? 0 : sent / (nanos / 1e9);
    }

    /** Infinite when the rate was unlimited. */
    double targetRate() {
      return nanos == 0 ? 0 : expected / (nanos / 1e9);
    }
  }
}
