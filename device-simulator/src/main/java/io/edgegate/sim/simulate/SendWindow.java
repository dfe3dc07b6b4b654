package io.edgegate.sim.simulate;

/**
 * One device's sequence numbers and their outcomes, in memory bounded by the in-flight window.
 *
 * <p>Sequence numbers are handed out in order ({@link #take}); outcomes arrive in any order ({@link
 * #settle}). Every number below {@code base} has its outcome; the window holds the outcomes of
 * [base, next). As {@code base} advances, runs of acknowledged numbers are folded into inclusive
 * ranges, and each range goes to the {@link RangeSink} once the next number is known not to be
 * acknowledged (or at {@link #close}). A run without failures is one range per device, whatever its
 * length: that is what lets the ack record scale to millions of events.
 *
 * <p><b>Not thread-safe</b>: the owning {@link SimDevice} guards it with its lock.
 */
final class SendWindow {
  /** Receives closed ranges of acknowledged sequence numbers, in ascending order per device. */
  interface RangeSink {
    void acknowledged(long first, long last);
  }

  private static final byte PENDING = 0;
  private static final byte ACKNOWLEDGED = 1;
  private static final byte NOT_ACKNOWLEDGED = 2;

  private final byte[] outcomes; // indexed by seq % capacity, for seq in [base, next)
  private final RangeSink sink;
  private long next;
  private long base;
  private long openFirst = -1;
  private long openLast;
  private int pending;
  private boolean closed;

  SendWindow(int capacity, RangeSink sink) {
    this.outcomes = new byte[capacity];
    this.sink = sink;
  }

  boolean hasRoom() {
    return !closed && next - base < outcomes.length;
  }

  /** The next sequence number; only when {@link #hasRoom}. */
  long take() {
    if (!hasRoom()) {
      throw new IllegalStateException(
          "window full: base " + base + ", next " + next + ", capacity " + outcomes.length);
    }
    long seq = next++;
    outcomes[slot(seq)] = PENDING;
    pending++;
    return seq;
  }

  /**
   * Records the outcome of {@code seq}. Returns false, changing nothing, if it already had one (or
   * the window was closed): each publish is counted once.
   */
  boolean settle(long seq, boolean acknowledged) {
    if (closed || seq < base || seq >= next || outcomes[slot(seq)] != PENDING) {
      return false;
    }
    outcomes[slot(seq)] = acknowledged ? ACKNOWLEDGED : NOT_ACKNOWLEDGED;
    pending--;
    while (base < next && outcomes[slot(base)] != PENDING) {
      fold(base, outcomes[slot(base)] == ACKNOWLEDGED);
      base++;
    }
    return true;
  }

  /** Publishes without an outcome yet. */
  int pending() {
    return pending;
  }

  /** Sequence numbers handed out so far (the next one to hand out). */
  long taken() {
    return next;
  }

  /**
   * Ends the window: publishes still without an outcome count as not acknowledged, and the last
   * open range goes to the sink. Later outcomes are ignored.
   */
  void close() {
    if (closed) {
      return;
    }
    for (long seq = base; seq < next; seq++) {
      fold(seq, outcomes[slot(seq)] == ACKNOWLEDGED);
    }
    base = next;
    pending = 0;
    closeRange();
    closed = true;
  }

  private void fold(long seq, boolean acknowledged) {
    if (!acknowledged) {
      closeRange();
    } else if (openFirst < 0) {
      openFirst = seq;
      openLast = seq;
    } else {
      openLast = seq;
    }
  }

  private void closeRange() {
    if (openFirst >= 0) {
      sink.acknowledged(openFirst, openLast);
      openFirst = -1;
    }
  }

  private int slot(long seq) {
    return (int) (seq % outcomes.length);
  }
}
