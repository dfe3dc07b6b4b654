package io.edgegate.sim.simulate;

/**
 * Paces sends to a rate that may change at any moment: credit grows by rate × elapsed time and each
 * send spends one. Unused credit is capped at {@link #MAX_LAG_SECONDS} of the current rate, so that
 * after a stall (full windows, a slow broker) the simulator catches up at most that much instead of
 * firing an ever larger burst. Time comes from the caller, so tests need no clock. <b>Not
 * thread-safe</b>: owned by the pacer thread.
 */
final class Credit {
  static final double MAX_LAG_SECONDS = 1.0;

  private double credit;
  private long lastNanos;
  private boolean started;

  /** Whole sends allowed now (at most {@link Long#MAX_VALUE} for an unlimited rate). */
  long grant(long nowNanos, double rate) {
    long elapsed = started ? Math.max(0, nowNanos - lastNanos) : 0;
    started = true;
    lastNanos = nowNanos;
    if (Double.isInfinite(rate)) {
      credit = 0;
      return Long.MAX_VALUE;
    }
    double cap = Math.max(1, rate * MAX_LAG_SECONDS);
    credit = Math.min(cap, credit + rate * elapsed / 1e9);
    return (long) credit;
  }

  void spend(long sends) {
    credit = Math.max(0, credit - sends);
  }
}
