package io.edgegate.sim.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendWindowTest {
  private final List<long[]> ranges = new ArrayList<>();
  private final SendWindow window = new SendWindow(4, (a, b) -> ranges.add(new long[] {a, b}));

  @Test
  void inOrderAcknowledgementsMakeOneRangeWrittenAtClose() {
    for (int i = 0; i < 100; i++) {
      long seq = window.take();
      assertThat(window.settle(seq, true)).isTrue();
    }
    assertThat(ranges).isEmpty();
    window.close();
    assertThat(ranges).containsExactly(new long[] {0, 99});
  }

  @Test
  void theWindowLimitsSequenceNumbersWithoutAnOutcomeBelowThem() {
    for (int i = 0; i < 4; i++) {
      window.take();
    }
    assertThat(window.hasRoom()).isFalse();
    assertThatThrownBy(window::take).hasMessageContaining("window full");
    window.settle(1, true); // not the oldest: the window does not move
    assertThat(window.hasRoom()).isFalse();
    window.settle(0, true);
    assertThat(window.hasRoom()).isTrue();
    assertThat(window.pending()).isEqualTo(2);
  }

  @Test
  void outOfOrderOutcomesFoldInSequenceOrderAndAFailureSplitsTheRange() {
    for (int i = 0; i < 4; i++) {
      window.take();
    }
    window.settle(3, true);
    window.settle(1, false);
    window.settle(2, true);
    assertThat(ranges).isEmpty(); // 0 still open
    window.settle(0, true);
    assertThat(ranges).containsExactly(new long[] {0, 0});
    window.close();
    assertThat(ranges).containsExactly(new long[] {0, 0}, new long[] {2, 3});
  }

  @Test
  void eachPublishIsSettledOnceAndNothingAfterClose() {
    long seq = window.take();
    assertThat(window.settle(seq, true)).isTrue();
    assertThat(window.settle(seq, false)).isFalse();
    assertThat(window.settle(7, true)).as("never handed out").isFalse();
    long pending = window.take();
    window.close();
    assertThat(window.settle(pending, true)).as("after close").isFalse();
    assertThat(ranges).containsExactly(new long[] {0, 0});
    assertThat(window.hasRoom()).isFalse();
  }

  @Test
  void pendingAtCloseCountAsNotAcknowledged() {
    window.take();
    window.take();
    window.take();
    window.settle(0, true);
    window.settle(2, true);
    window.close();
    assertThat(ranges).containsExactly(new long[] {0, 0}, new long[] {2, 2});
  }

  @Test
  void memoryStaysTheWindowOverAMillionEvents() {
    SendWindow w = new SendWindow(32, (a, b) -> ranges.add(new long[] {a, b}));
    long[] inFlight = new long[32];
    for (int round = 0; round < 1_000_000 / 32; round++) {
      for (int i = 0; i < 32; i++) {
        inFlight[i] = w.take();
      }
      for (int i = 31; i >= 0; i--) { // worst order: newest first
        w.settle(inFlight[i], inFlight[i] != 500_000);
      }
    }
    w.close();
    assertThat(ranges).containsExactly(new long[] {0, 499_999}, new long[] {500_001, 999_999});
  }
}
