package io.edgegate.gateway.journal;

import java.nio.charset.StandardCharsets;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The strings of journal entries, shared by entries with the same bytes: a client id, topic,
 * content type or user property is read thousands of times, so its {@code String} and its UTF-8
 * bytes are made once and the reader allocates nothing for it. A fixed table, each slot holding the
 * last string that hashed to it (as Chronicle's {@code StringInterner}, which the reader used
 * before it kept the bytes): memory is bounded by {@link #SLOTS} strings of at most {@link
 * #MAX_BYTES} bytes, and a miss costs what decoding cost without it.
 *
 * <p>Thread-safe without locks: slots are written and read racily, but an {@link Entry} is
 * immutable and published through its final fields, so a reader sees a whole entry or another.
 */
final class Utf8Interner {
  /** Slots in the table; a power of two. */
  static final int SLOTS = 2048;

  /** Longer strings are not kept. */
  static final int MAX_BYTES = 64;

  /** A string and its UTF-8 bytes; neither is ever written after construction. */
  record Entry(byte[] utf8, String string) {}

  private final Entry[] slots = new Entry[SLOTS];

  /**
   * The entry for the {@code n} bytes at {@code in}'s read position, which it then skips; null (and
   * nothing skipped) when it has none and cannot keep one: too long, or not standard UTF-8 (as
   * {@code acceptable} says).
   */
  Entry find(Bytes<?> in, int n) {
    if (n > MAX_BYTES) {
      return null;
    }
    long at = in.readPosition();
    int h = 0;
    for (int i = 0; i < n; i++) {
      h = 31 * h + in.readByte(at + i);
    }
    Entry e = slots[(h ^ (h >>> 16)) & (SLOTS - 1)];
    if (e == null || e.utf8.length != n) {
      return null;
    }
    byte[] b = e.utf8;
    for (int i = 0; i < n; i++) {
      if (b[i] != in.readByte(at + i)) {
        return null;
      }
    }
    in.readSkip(n);
    return e;
  }

  /** Keeps {@code utf8} (standard UTF-8, never written after) and returns its entry. */
  Entry keep(byte[] utf8) {
    Entry e = new Entry(utf8, new String(utf8, StandardCharsets.UTF_8));
    if (utf8.length <= MAX_BYTES) {
      int h = 0;
      for (byte x : utf8) {
        h = 31 * h + x;
      }
      slots[(h ^ (h >>> 16)) & (SLOTS - 1)] = e;
    }
    return e;
  }
}
