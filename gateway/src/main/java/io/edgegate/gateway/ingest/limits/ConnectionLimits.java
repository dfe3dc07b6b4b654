package io.edgegate.gateway.ingest.limits;

import io.edgegate.gateway.ingest.stats.ConnectionRefusal;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open connections, in total and per remote IP address, counted from the TCP accept to the close,
 * across all listener instances. Thread-safe.
 */
public final class ConnectionLimits {
  private final int maxTotal;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

  /**
   * @param maxTotal at least 1
   * @param maxPerAddress 0 for no per-address limit
   */
  public ConnectionLimits(int maxTotal, int maxPerAddress) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  /**
   * Counts a new connection from {@code address}; returns null when it may stay, else the reason it
   * must be closed (then nothing was counted). Each null return needs one {@link #release}.
   */
  public ConnectionRefusal tryAcquire(String address) {
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      return ConnectionRefusal.TOO_MANY_CONNECTIONS;
    }
    if (maxPerAddress > 0) {
      boolean[] over = new boolean[1];
      perAddress.compute(
          address,
          (a, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerAddress) {
              over[0] = true;
              return n;
            }
            return count + 1;
          });
      if (over[0]) {
        total.decrementAndGet();
        return ConnectionRefusal.TOO_MANY_FROM_ADDRESS;
      }
    }
    return null;
  }

  /** A connection counted by {@link #tryAcquire} closed. */
  public void release(String address) {
    total.decrementAndGet();
    if (maxPerAddress > 0) {
      perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
  }

  public int open() {
    return total.get();
  }

  /** Addresses with open connections (bounded by the open connections). */
  public int addresses() {
    return perAddress.size();
  }
}
