package io.edgegate.sim.simulate;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delay before reconnecting after a lost connection or a failed attempt: exponential from {@link
 * #FIRST_MILLIS} up to {@link #MAX_MILLIS}, with full jitter so that a thousand devices cut at once
 * do not come back in lock-step (unless the scenario asks for a storm: churn reconnects after its
 * fixed downtime). Stateless; thread-safe.
 */
final class Backoff {
  static final long FIRST_MILLIS = 200;
  static final long MAX_MILLIS = 10_000;

  private Backoff() {}

  static long delayMillis(int failedAttempts) {
    long ceiling = FIRST_MILLIS << Math.min(failedAttempts, 6);
    ceiling = Math.min(MAX_MILLIS, ceiling);
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }
}
