package io.edgegate.gateway.forward;

import java.time.Duration;

/** Capped exponential backoff. Not thread-safe: owned by one event loop. */
final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private long nextMillis;

  Backoff(Duration initial, Duration max) {
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.nextMillis = initialMillis;
  }

  long next() {
    long current = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return current;
  }

  void reset() {
    nextMillis = initialMillis;
  }
}
