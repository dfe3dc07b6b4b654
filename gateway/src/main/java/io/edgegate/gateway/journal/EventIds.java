package io.edgegate.gateway.journal;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time-ordered, unique event ids: UUID version 7 (RFC 9562) with the 12 {@code rand_a} bits used as
 * a counter within a millisecond (the RFC's "method 1"), so ids from one gateway sort in receive
 * order, and 62 random bits, so ids from different gateways do not collide. Thread-safe.
 */
public final class EventIds {
  private final Clock clock;
  // (unix millis << 12) | counter of the last id handed out
  private final AtomicLong last = new AtomicLong();

  public EventIds(Clock clock) {
    this.clock = clock;
  }

  public UUID next() {
    long now = clock.millis();
    // A counter overflow borrows from the next millisecond: ids stay strictly increasing.
    long v = last.updateAndGet(prev -> (prev >>> 12) < now ? now << 12 : prev + 1);
    long msb = ((v >>> 12) << 16) | 0x7000L | (v & 0xFFFL);
    long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
