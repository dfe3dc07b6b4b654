package io.edgegate.gateway.ingest.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * New connections per second from each remote address: a token bucket per address that, unlike
 * {@link TokenBucket}, never lends (a refused connection costs nothing, so a host that stops
 * hammering is let in again within a token's time). Thread-safe: connections from one address
 * arrive on any event loop.
 *
 * <p>Memory is bounded: at most {@code maxAddresses} buckets. Buckets that have filled up again
 * hold nothing worth keeping and are dropped when the map is full; if it is still full, a new
 * address goes unlimited (and is counted by the caller as such) rather than grow the map: many
 * addresses each connecting a little is what {@code maxConnections} is for.
 *
 * <p>Hand-written rather than a cache library: the gateway has none, and the rule (drop only full
 * buckets, never refuse for lack of room) is a few lines.
 */
public final class ConnectionRate {
  private final double perNano;
  private final double capacity;
  private final int maxAddresses;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  private final class Bucket {
    private double tokens = capacity;
    private long last = nanoTime.getAsLong();

    synchronized boolean take(long now) {
      refill(now);
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }

    synchronized boolean full(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      long elapsed = now - last;
      if (elapsed > 0) {
        tokens = Math.min(capacity, tokens + elapsed * perNano);
        last = now;
      }
    }
  }

  /**
   * @param ratePerSecond connections per second per address, above 0
   * @param burst connections at once, at least 1
   * @param maxAddresses buckets kept at most
   */
  public ConnectionRate(double ratePerSecond, int burst, int maxAddresses, LongSupplier nanoTime) {
    if (ratePerSecond <= 0 || burst < 1 || maxAddresses < 1) {
      throw new IllegalArgumentException(
          "rate, burst and addresses must be positive (were "
              + ratePerSecond
              + ", "
              + burst
              + ", "
              + maxAddresses
              + ")");
    }
    this.perNano = ratePerSecond / 1e9;
    this.capacity = burst;
    this.maxAddresses = maxAddresses;
    this.nanoTime = nanoTime;
  }

  /** True if a new connection from {@code address} is within its rate (and counts it). */
  public boolean tryAcquire(String address) {
    long now = nanoTime.getAsLong();
    Bucket b = buckets.get(address);
    if (b == null) {
      if (buckets.size() >= maxAddresses) {
        buckets.entrySet().removeIf(e -> e.getValue().full(now));
        if (buckets.size() >= maxAddresses) {
          return true;
        }
      }
      b = buckets.computeIfAbsent(address, a -> new Bucket());
    }
    return b.take(now);
  }

  /** Addresses with a bucket (for tests and gauges). */
  public int addresses() {
    return buckets.size();
  }
}
