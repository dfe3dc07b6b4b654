package io.edgegate.gateway.ingest.limits;

import java.util.function.LongSupplier;

/**
 * A token bucket that lends: {@link #take} always takes the token, even into debt, and says how
 * long the caller must wait until the debt is paid. The gateway has already read the packet, so it
 * is processed (no loss) and the device's socket is paused for that long instead; over time the
 * device gets exactly {@code rate} per second, plus {@code burst} at once. Not thread-safe: one per
 * connection, used on its event loop.
 */
public final class TokenBucket {
  private final double perNano;
  private final double capacity;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  /**
   * @param ratePerSecond tokens added per second
   * @param burst bucket size, and the tokens it starts with
   * @param nanoTime the clock ({@link System#nanoTime} in production)
   */
  public TokenBucket(double ratePerSecond, int burst, LongSupplier nanoTime) {
    if (ratePerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException(
          "rate must be positive and burst at least 1 (were " + ratePerSecond + ", " + burst + ")");
    }
    this.perNano = ratePerSecond / 1e9;
    this.capacity = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  /** Takes one token; returns 0 if the bucket had it, else the nanoseconds until it is even. */
  public long take() {
    refill();
    tokens -= 1;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
  }

  /** Tokens available now (negative: debt). */
  public double available() {
    refill();
    return tokens;
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    long elapsed = now - last;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * perNano);
      last = now;
    }
  }
}
