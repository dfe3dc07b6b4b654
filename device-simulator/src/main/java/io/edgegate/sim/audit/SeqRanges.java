package io.edgegate.sim.audit;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * A set of non-negative sequence numbers stored as sorted, disjoint, non-adjacent inclusive ranges:
 * memory grows with the gaps, not with the numbers, so a device's million in-order events take one
 * range. Adding at the end (the usual case) is O(1); elsewhere O(log n) to find the place plus the
 * shift of an insert. <b>Not thread-safe.</b>
 */
final class SeqRanges {
  private long[] first = new long[2];
  private long[] last = new long[2];
  private int size;
  private long count;

  /** Adds {@code seq}; false if it was already present. */
  boolean add(long seq) {
    if (size > 0 && seq > last[size - 1]) {
      if (seq == last[size - 1] + 1) {
        last[size - 1] = seq;
      } else {
        insert(size, seq, seq);
      }
      count++;
      return true;
    }
    int i = floor(seq);
    if (i >= 0 && seq <= last[i]) {
      return false;
    }
    boolean joinsLeft = i >= 0 && last[i] == seq - 1;
    boolean joinsRight = i + 1 < size && first[i + 1] == seq + 1;
    if (joinsLeft && joinsRight) {
      last[i] = last[i + 1];
      remove(i + 1);
    } else if (joinsLeft) {
      last[i] = seq;
    } else if (joinsRight) {
      first[i + 1] = seq;
    } else {
      insert(i + 1, seq, seq);
    }
    count++;
    return true;
  }

  /** Adds every number of [from, to], merging with what is there. */
  void addRange(long from, long to) {
    if (from > to) {
      throw new IllegalArgumentException("empty range " + from + ".." + to);
    }
    if (size == 0 || from > last[size - 1] + 1) {
      insert(size, from, to);
      count += to - from + 1;
      return;
    }
    // j: first range that ends at or after from - 1; k: last range that starts at or before to + 1.
    int j = Arrays.binarySearch(last, 0, size, from - 1);
    j = j >= 0 ? j : -j - 1;
    int k = floor(to + 1);
    if (j > k) {
      insert(j, from, to);
      count += to - from + 1;
      return;
    }
    long mergedFirst = Math.min(from, first[j]);
    long mergedLast = Math.max(to, last[k]);
    for (int i = j; i <= k; i++) {
      count -= last[i] - first[i] + 1;
    }
    first[j] = mergedFirst;
    last[j] = mergedLast;
    count += mergedLast - mergedFirst + 1;
    int removed = k - j;
    if (removed > 0) {
      System.arraycopy(first, k + 1, first, j + 1, size - k - 1);
      System.arraycopy(last, k + 1, last, j + 1, size - k - 1);
      size -= removed;
    }
  }

  boolean contains(long seq) {
    int i = floor(seq);
    return i >= 0 && seq <= last[i];
  }

  /** How many numbers the set holds. */
  long count() {
    return count;
  }

  /** How many ranges it takes (a measure of its memory). */
  int ranges() {
    return size;
  }

  /**
   * Calls {@code action} for numbers of this set that {@code other} lacks, at most {@code limit}.
   */
  void forEachNotIn(SeqRanges other, long limit, LongConsumer action) {
    long emitted = 0;
    int o = 0;
    for (int i = 0; i < size && emitted < limit; i++) {
      long seq = first[i];
      while (seq <= last[i] && emitted < limit) {
        while (o < other.size && other.last[o] < seq) {
          o++;
        }
        if (o < other.size && other.first[o] <= seq) {
          seq = other.last[o] + 1; // covered: skip past that range
          continue;
        }
        long gapEnd = o < other.size ? Math.min(last[i], other.first[o] - 1) : last[i];
        for (; seq <= gapEnd && emitted < limit; seq++, emitted++) {
          action.accept(seq);
        }
      }
    }
  }

  /** Index of the last range starting at or before {@code seq}, or -1. */
  private int floor(long seq) {
    int i = Arrays.binarySearch(first, 0, size, seq);
    return i >= 0 ? i : -i - 2;
  }

  private void insert(int at, long from, long to) {
    if (size == first.length) {
      first = Arrays.copyOf(first, size * 2);
      last = Arrays.copyOf(last, size * 2);
    }
    System.arraycopy(first, at, first, at + 1, size - at);
    System.arraycopy(last, at, last, at + 1, size - at);
    first[at] = from;
    last[at] = to;
    size++;
  }

  private void remove(int at) {
    System.arraycopy(first, at + 1, first, at, size - at - 1);
    System.arraycopy(last, at + 1, last, at, size - at - 1);
    size--;
  }
}
