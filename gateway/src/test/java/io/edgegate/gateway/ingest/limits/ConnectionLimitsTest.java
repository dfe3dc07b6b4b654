package io.edgegate.gateway.ingest.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.ingest.stats.ConnectionRefusal;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
  @Test
  void totalAndPerAddressLimitsCountFromAcceptToClose() {
    ConnectionLimits l = new ConnectionLimits(3, 2);
    assertThat(l.tryAcquire("10.0.0.1")).isNull();
    assertThat(l.tryAcquire("10.0.0.1")).isNull();
    assertThat(l.tryAcquire("10.0.0.1")).isEqualTo(ConnectionRefusal.TOO_MANY_FROM_ADDRESS);
    assertThat(l.tryAcquire("10.0.0.2")).isNull();
    assertThat(l.tryAcquire("10.0.0.3")).isEqualTo(ConnectionRefusal.TOO_MANY_CONNECTIONS);
    assertThat(l.open()).isEqualTo(3);
    l.release("10.0.0.1");
    assertThat(l.tryAcquire("10.0.0.1")).isNull();
    l.release("10.0.0.1");
    l.release("10.0.0.1");
    l.release("10.0.0.2");
    assertThat(l.open()).isZero();
    assertThat(l.addresses()).as("no entries left behind").isZero();
  }

  @Test
  void logLinesFromDevicesAreEscapedAndCapped() {
    assertThat(RateLimitedLog.clean("dev\n2026-01-01 INFO forged")).startsWith("dev\\u000a2026");
    assertThat(RateLimitedLog.clean("x".repeat(1000))).hasSize(65);
    assertThat(RateLimitedLog.clean(null)).isEmpty();
  }
}
