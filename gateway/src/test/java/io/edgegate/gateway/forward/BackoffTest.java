package io.edgegate.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The waits of a backoff: growth, cap, reset, and jitter within [ceiling/2, ceiling]. */
class BackoffTest {
  private static final Duration INITIAL = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofMillis(5_000);

  private static List<Long> waits(Backoff b, int n) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(b.next());
    }
    return out;
  }

  @Test
  void anExactBackoffDoublesUpToItsCapAndStartsOverAfterAReset() {
    Backoff b = Backoff.exact(INITIAL, MAX);
    assertThat(waits(b, 8)).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L);
    b.reset();
    assertThat(waits(b, 2)).containsExactly(100L, 200L);
    assertThat(waits(new Backoff(Duration.ofMillis(3), Duration.ofMillis(7)), 4))
        .as("the cap is reached exactly, not skipped")
        .containsExactly(3L, 6L, 7L, 7L);
  }

  @Test
  void everyJitteredWaitLiesBetweenHalfItsCeilingAndTheCeiling() {
    Backoff b = Backoff.jittered(INITIAL, MAX, new SplittableRandom(7));
    for (int round = 0; round < 200; round++) {
      long ceiling = 100;
      for (int i = 0; i < 10; i++) {
        long wait = b.next();
        assertThat(wait).as("wait %d of round %d", i, round).isBetween(ceiling / 2, ceiling);
        ceiling = Math.min(5_000, ceiling * 2);
      }
      b.reset();
    }
  }

  @Test
  void jitteredWaitsGrowWithTheCeilingAndReachBothBounds() {
    // A source that draws the lowest value, then the highest: the bounds themselves.
    RandomGenerator lowest = new FixedDraw(false);
    RandomGenerator highest = new FixedDraw(true);
    assertThat(waits(Backoff.jittered(INITIAL, MAX, lowest), 8))
        .containsExactly(50L, 100L, 200L, 400L, 800L, 1600L, 2500L, 2500L);
    assertThat(waits(Backoff.jittered(INITIAL, MAX, highest), 8))
        .containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L);
    assertThat(waits(Backoff.jittered(Duration.ofMillis(1), Duration.ofMillis(1), lowest), 2))
        .as("never zero")
        .containsExactly(1L, 1L);
  }

  @Test
  void aSeededSourceGivesTheSameScheduleAndTheWaitsSpread() {
    List<Long> first = waits(Backoff.jittered(INITIAL, MAX, new SplittableRandom(42)), 12);
    List<Long> again = waits(Backoff.jittered(INITIAL, MAX, new SplittableRandom(42)), 12);
    assertThat(first).isEqualTo(again);
    List<Long> atCap = waits(Backoff.jittered(MAX, MAX, new SplittableRandom(1)), 50);
    assertThat(atCap.stream().distinct().count())
        .as("clients cut off together do not retry in lock-step")
        .isGreaterThan(40);
  }

  @Test
  void badBoundsAreRefused() {
    assertThatThrownBy(() -> Backoff.exact(Duration.ZERO, MAX))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial");
    assertThatThrownBy(() -> Backoff.exact(MAX, INITIAL))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.jittered(INITIAL, MAX, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBackoffBelongsToTheFirstThreadThatUsesIt() throws Exception {
    Backoff b = Backoff.exact(INITIAL, MAX);
    b.next();
    CompletableFuture<Throwable> other = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                b.next();
                other.complete(null);
              } catch (Throwable e) {
                other.complete(e);
              }
            });
    t.start();
    t.join(5_000);
    assertThat(other.get()).isInstanceOf(AssertionError.class);
  }

  /** Draws the bound's end it was made for, always. */
  private static final class FixedDraw implements RandomGenerator {
    private final boolean highest;

    FixedDraw(boolean highest) {
      this.highest = highest;
    }

    @Override
    public long nextLong() {
      throw new UnsupportedOperationException();
    }

    @Override
    public long nextLong(long bound) {
      return highest ? bound - 1 : 0;
    }
  }
}
