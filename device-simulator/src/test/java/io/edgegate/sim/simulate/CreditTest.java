package io.edgegate.sim.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CreditTest {
  private static final long MS = 1_000_000;

  @Test
  void grantsTheRateOverTimeIncludingFractions() {
    Credit c = new Credit();
    assertThat(c.grant(0, 500)).isZero();
    long sent = 0;
    for (long t = 1; t <= 1000; t++) {
      long n = c.grant(t * MS, 500);
      c.spend(n);
      sent += n;
    }
    assertThat(sent).isBetween(499L, 500L);
  }

  @Test
  void unusedCreditIsCappedSoAStallIsNotFollowedByAnUnboundedBurst() {
    Credit c = new Credit();
    c.grant(0, 1000);
    assertThat(c.grant(60_000 * MS, 1000)).as("after a minute of nothing sent").isEqualTo(1000);
  }

  @Test
  void anUnlimitedRateGrantsEverything() {
    Credit c = new Credit();
    assertThat(c.grant(0, Double.POSITIVE_INFINITY)).isEqualTo(Long.MAX_VALUE);
    c.spend(123);
    assertThat(c.grant(MS, 10)).isZero();
  }

  @Test
  void aRateOfZeroGrantsNothingThenTheRateResumes() {
    Credit c = new Credit();
    c.grant(0, 100);
    assertThat(c.grant(50 * MS, 0)).isZero();
    assertThat(c.grant(100 * MS, 100)).isEqualTo(5);
  }
}
