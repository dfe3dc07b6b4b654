package io.edgegate.sim.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SeqRangesTest {
  @Test
  void inOrderNumbersTakeOneRange() {
    SeqRanges r = new SeqRanges();
    for (long i = 0; i < 1_000_000; i++) {
      assertThat(r.add(i)).isTrue();
    }
    assertThat(r.ranges()).isEqualTo(1);
    assertThat(r.count()).isEqualTo(1_000_000);
    assertThat(r.contains(999_999)).isTrue();
    assertThat(r.contains(1_000_000)).isFalse();
  }

  @Test
  void aRepeatedNumberIsReportedAndNotCountedTwice() {
    SeqRanges r = new SeqRanges();
    r.add(5);
    assertThat(r.add(5)).isFalse();
    assertThat(r.count()).isEqualTo(1);
  }

  @Test
  void gapsCloseWhenTheMissingNumberArrives() {
    SeqRanges r = new SeqRanges();
    r.add(0);
    r.add(2);
    r.add(4);
    assertThat(r.ranges()).isEqualTo(3);
    r.add(3);
    r.add(1);
    assertThat(r.ranges()).isEqualTo(1);
    assertThat(r.count()).isEqualTo(5);
  }

  @Test
  void agreesWithASortedSetOnRandomInput() {
    Random random = new Random(42);
    SeqRanges r = new SeqRanges();
    TreeSet<Long> expected = new TreeSet<>();
    for (int i = 0; i < 20_000; i++) {
      long v = random.nextInt(5_000);
      if (random.nextInt(10) == 0) {
        long to = v + random.nextInt(20);
        r.addRange(v, to);
        for (long x = v; x <= to; x++) {
          expected.add(x);
        }
      } else {
        assertThat(r.add(v)).isEqualTo(expected.add(v));
      }
    }
    assertThat(r.count()).isEqualTo(expected.size());
    for (long v = 0; v < 5_100; v++) {
      assertThat(r.contains(v)).as("contains %d", v).isEqualTo(expected.contains(v));
    }
  }

  @Test
  void rangesMergeAcrossSeveralExistingOnes() {
    SeqRanges r = new SeqRanges();
    r.addRange(0, 2);
    r.addRange(5, 6);
    r.addRange(9, 10);
    r.addRange(3, 8);
    assertThat(r.ranges()).isEqualTo(1);
    assertThat(r.count()).isEqualTo(11);
  }

  @Test
  void listsWhatIsNotInTheOtherUpToALimit() {
    SeqRanges acked = new SeqRanges();
    acked.addRange(0, 9);
    acked.addRange(20, 24);
    SeqRanges received = new SeqRanges();
    received.addRange(0, 3);
    received.add(5);
    received.addRange(8, 21);
    List<Long> missing = new ArrayList<>();
    acked.forEachNotIn(received, 100, missing::add);
    assertThat(missing).containsExactly(4L, 6L, 7L, 22L, 23L, 24L);
    missing.clear();
    acked.forEachNotIn(received, 2, missing::add);
    assertThat(missing).containsExactly(4L, 6L);
  }
}
