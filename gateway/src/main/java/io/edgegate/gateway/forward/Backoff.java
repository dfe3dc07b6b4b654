package io.edgegate.gateway.forward;

import io.edgegate.gateway.thread.Confinement;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff: the ceiling starts at {@code initial} and doubles after each wait up
 * to {@code max}; {@link #reset} after a success. {@link #exact} waits the ceiling itself (a
 * schedule tests can count on); {@link #jittered} waits a random time in [ceiling/2, ceiling]
 * ("equal jitter"), so that clients cut off together do not retry in lock-step, while keeping half
 * the ceiling as a floor so that an absent Kafka is never retried at once. The random source is
 * injected: seeded in tests, so a schedule is reproducible.
 *
 * <p><b>Not thread-safe: owned by one thread</b> (an event loop, or a dedicated sending thread):
 * the first that calls it, asserted.
 */
public final class Backoff {
  private final Confinement.Owner owner = Confinement.firstCaller();
  private final long initialMillis;
  private final long maxMillis;
  private final RandomGenerator random; // null: no jitter
  private long ceilingMillis;

  /** Exact backoff (no jitter); see {@link #exact}. */
  Backoff(Duration initial, Duration max) {
    this(initial, max, null);
  }

  private Backoff(Duration initial, Duration max, RandomGenerator random) {
    long i = initial.toMillis();
    long m = max.toMillis();
    if (i < 1 || m < i) {
      throw new IllegalArgumentException(
          "backoff needs 1 ms <= initial <= max, got initial " + initial + ", max " + max);
    }
    this.initialMillis = i;
    this.maxMillis = m;
    this.random = random;
    this.ceilingMillis = i;
  }

  /** Waits {@code initial}, twice that, ... up to {@code max}. */
  public static Backoff exact(Duration initial, Duration max) {
    return new Backoff(initial, max, null);
  }

  /** Waits a time drawn by {@code random} from [ceiling/2, ceiling]; the ceiling grows as exact. */
  public static Backoff jittered(Duration initial, Duration max, RandomGenerator random) {
    if (random == null) {
      throw new IllegalArgumentException("a jittered backoff needs a random source");
    }
    return new Backoff(initial, max, random);
  }

  /** The next wait in milliseconds (at least 1); the ceiling doubles for the one after. */
  public long next() {
    assert owner.check();
    long ceiling = ceilingMillis;
    ceilingMillis = ceiling > maxMillis / 2 ? maxMillis : ceiling * 2; // no overflow
    if (random == null) {
      return ceiling;
    }
    long floor = ceiling - ceiling / 2; // ceil(ceiling / 2): a 1 ms ceiling still waits 1 ms
    return floor + random.nextLong(ceiling - floor + 1);
  }

  /** A success: the next wait starts from {@code initial} again. */
  public void reset() {
    assert owner.check();
    ceilingMillis = initialMillis;
  }
}
