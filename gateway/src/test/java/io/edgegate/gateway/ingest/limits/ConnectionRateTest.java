package io.edgegate.gateway.ingest.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectionRateTest {
  private final AtomicLong now = new AtomicLong();

  @Test
  void anAddressGetsItsBurstThenItsRateAndARefusalCostsNothing() {
    ConnectionRate rate = new ConnectionRate(1, 2, 100, now::get);
    assertThat(rate.tryAcquire("a")).isTrue();
    assertThat(rate.tryAcquire("a")).isTrue();
    for (int i = 0; i < 100; i++) {
      assertThat(rate.tryAcquire("a")).isFalse(); // hammering does not dig a hole
    }
    assertThat(rate.tryAcquire("b")).as("another address").isTrue();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1000));
    assertThat(rate.tryAcquire("a")).as("one second later: one more").isTrue();
    assertThat(rate.tryAcquire("a")).isFalse();
  }

  @Test
  void theAddressesKeptAreBoundedAndFullBucketsGoFirst() {
    ConnectionRate rate = new ConnectionRate(1, 1, 3, now::get);
    for (String a : new String[] {"a", "b", "c"}) {
      assertThat(rate.tryAcquire(a)).isTrue();
    }
    assertThat(rate.tryAcquire("d")).as("no room, none full: let through").isTrue();
    assertThat(rate.addresses()).isEqualTo(3);
    now.addAndGet(TimeUnit.SECONDS.toNanos(2)); // a, b, c full again
    assertThat(rate.tryAcquire("d")).isTrue();
    assertThat(rate.tryAcquire("d")).isFalse();
    assertThat(rate.addresses()).isEqualTo(1);
  }
}
