package io.edgegate.gateway.observe.console;

import io.edgegate.gateway.thread.Confinement;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} one-second samples of the counters and backlog the overview shows: a
 * ring on the admin side, so rates come from two counter readings rather than from anything done
 * per event. <b>Confined to the admin server's event loop</b> (its timer adds, its handlers read).
 */
final class Trend {
  /** One reading. */
  record Sample(
      long atMillis, long received, long forwarded, double backlogEvents, double backlogBytes) {}

  private final Confinement.Owner owner = Confinement.firstCaller();
  private final Sample[] ring;
  private int next;
  private int size;

  Trend(int capacity) {
    this.ring = new Sample[capacity];
  }

  void add(Sample s) {
    assert owner.check();
    ring[next] = s;
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
  }

  /** Oldest first. */
  List<Sample> samples() {
    assert owner.check();
    List<Sample> out = new ArrayList<>(size);
    for (int i = size; i >= 1; i--) {
      out.add(ring[Math.floorMod(next - i, ring.length)]);
    }
    return out;
  }

  Sample newest() {
    assert owner.check();
    return size == 0 ? null : ring[Math.floorMod(next - 1, ring.length)];
  }

  /** Events per second received and forwarded over the last {@code window} samples at most. */
  double[] rates(int window) {
    assert owner.check();
    if (size < 2) {
      return new double[] {0, 0};
    }
    Sample last = ring[Math.floorMod(next - 1, ring.length)];
    Sample first = ring[Math.floorMod(next - Math.min(size, window + 1), ring.length)];
    double seconds = Math.max(0.001, (last.atMillis() - first.atMillis()) / 1000.0);
    return new double[] {
      Math.max(0, last.received() - first.received()) / seconds,
      Math.max(0, last.forwarded() - first.forwarded()) / seconds
    };
  }
}
