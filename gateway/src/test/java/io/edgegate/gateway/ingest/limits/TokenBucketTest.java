package io.edgegate.gateway.ingest.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  @Test
  void aBurstPassesThenEachTokenCostsOneIntervalAsDebtNotLoss() {
    AtomicLong now = new AtomicLong();
    TokenBucket b = new TokenBucket(100, 5, now::get); // 100/s: one token per 10 ms
    for (int i = 0; i < 5; i++) {
      assertThat(b.take()).as("burst %d", i).isZero();
    }
    assertThat(b.take()).isEqualTo(10_000_000L); // one token of debt: wait 10 ms
    assertThat(b.take()).isEqualTo(20_000_000L); // still taken: two of debt
    now.addAndGet(20_000_000L);
    assertThat(b.available()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-9));
    now.addAndGet(10_000_000L);
    assertThat(b.take()).isZero();
  }

  @Test
  void overALongRunTheRateIsExactAndTheBucketNeverExceedsItsSize() {
    AtomicLong now = new AtomicLong();
    TokenBucket b = new TokenBucket(50, 10, now::get);
    now.addAndGet(60_000_000_000L); // idle a minute: still only 10 saved
    assertThat(b.available()).isEqualTo(10);
    long waited = 0;
    for (int i = 0; i < 1010; i++) {
      long w = b.take();
      now.addAndGet(w); // a paused device resumes when told
      waited += w;
    }
    // 1010 packets: 10 from the bucket, 1000 at 50/s = 20 s
    assertThat(waited).isBetween(19_900_000_000L, 20_100_000_000L);
  }
}
