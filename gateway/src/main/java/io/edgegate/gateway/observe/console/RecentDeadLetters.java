package io.edgegate.gateway.observe.console;

import io.edgegate.gateway.forward.DeadLetterNote;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} dead letters, for the console's list: a ring of summaries (no payload
 * beyond a short preview), added to only when an event is dead-lettered, never for an event that
 * goes its way. Thread-safe: the pipeline's and the forwarder's loops add, the admin loop reads; a
 * lock is enough for something that happens once per dead letter.
 */
public final class RecentDeadLetters {
  /** Error texts longer than this are cut (Kafka's messages can carry a whole record's dump). */
  static final int MAX_ERROR_CHARS = 500;

  /** One dead letter and when it was noted. */
  public record Entry(long atMillis, DeadLetterNote note) {}

  private final Entry[] ring;
  private int next; // guarded by this
  private long total; // guarded by this

  public RecentDeadLetters(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be 1 or more, not " + capacity);
    }
    this.ring = new Entry[capacity];
  }

  /** A dead letter at {@code atMillis}. Any thread. */
  public void add(DeadLetterNote note, long atMillis) {
    DeadLetterNote kept = note;
    if (note.error() != null && note.error().length() > MAX_ERROR_CHARS) {
      kept =
          new DeadLetterNote(
              note.eventId(),
              note.device(),
              note.topic(),
              note.reason(),
              note.error().substring(0, MAX_ERROR_CHARS) + "\u2026",
              note.preview());
    }
    Entry e = new Entry(atMillis, kept);
    synchronized (this) {
      ring[next] = e;
      next = (next + 1) % ring.length;
      total++;
    }
  }

  /** The kept ones, newest first. */
  public synchronized List<Entry> newestFirst() {
    List<Entry> out = new ArrayList<>(ring.length);
    for (int i = 1; i <= ring.length; i++) {
      Entry e = ring[Math.floorMod(next - i, ring.length)];
      if (e == null) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  /** Dead letters noted since the start (kept or not). */
  public synchronized long total() {
    return total;
  }

  public int capacity() {
    return ring.length;
  }
}
