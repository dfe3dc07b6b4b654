package io.edgegate.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.forward.ForwardDrop;
import io.edgegate.gateway.forward.ProducerReplacement;
import io.edgegate.gateway.forward.SendFailure;
import io.edgegate.gateway.ingest.stats.ConnectionClose;
import io.edgegate.gateway.ingest.stats.ConnectionRefusal;
import io.edgegate.gateway.ingest.stats.PublishRefusal;
import io.edgegate.gateway.ingest.stats.SubscriptionRefusal;
import io.edgegate.gateway.pipeline.DeadLetterReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Each reason is a series from the start (at 0), and counts under its own tag. */
class GatewayMetricsReasonsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GatewayMetrics metrics = new GatewayMetrics(registry, Clock.systemUTC());

  private double count(String meter, String reason) {
    Counter c = registry.find(meter).tag("reason", reason).counter();
    assertThat(c).as(meter + "{reason=" + reason + "}").isNotNull();
    return c.count();
  }

  @Test
  void everyReasonIsRegisteredAtZero() {
    for (PublishRefusal r : PublishRefusal.values()) {
      assertThat(count(GatewayMetrics.REFUSED, r.tag())).isZero();
      assertThat(count(GatewayMetrics.DROPPED, r.tag())).isZero();
    }
    for (ForwardDrop r : ForwardDrop.values()) {
      assertThat(count(GatewayMetrics.DROPPED, r.tag())).isZero();
    }
    for (ConnectionRefusal r : ConnectionRefusal.values()) {
      assertThat(count(GatewayMetrics.CONNECTIONS_REFUSED, r.tag())).isZero();
    }
    for (ConnectionClose r : ConnectionClose.values()) {
      assertThat(count(GatewayMetrics.CONNECTIONS_CLOSED, r.tag())).isZero();
    }
    for (SubscriptionRefusal r : SubscriptionRefusal.values()) {
      assertThat(count(GatewayMetrics.SUBSCRIPTIONS_REFUSED, r.tag())).isZero();
    }
    assertThat(count(GatewayMetrics.DEAD_LETTERED, SendFailure.RECORD_TOO_LARGE.tag())).isZero();
    assertThat(registry.find(GatewayMetrics.DEAD_LETTERED).tag("reason", "retriable").counter())
        .as("a retriable failure is never dead-lettered")
        .isNull();
    assertThat(count(GatewayMetrics.PRODUCER_REPLACEMENTS, "out-of-order-sequence")).isZero();
  }

  @Test
  void eachReportCountsUnderItsTag() {
    metrics.refused(PublishRefusal.JOURNAL_FULL);
    metrics.dropped(PublishRefusal.NOT_AUTHORIZED);
    metrics.dropped(ForwardDrop.DEAD_LETTER_REFUSED);
    metrics.connectionRefused(ConnectionRefusal.TLS_BAD_CERTIFICATE);
    metrics.connectionClosed(ConnectionClose.PACKET_TIMEOUT);
    metrics.subscriptionRefused(SubscriptionRefusal.SHARED_NOT_SUPPORTED);
    metrics.deadLettered(SendFailure.INVALID_TOPIC);
    metrics.invalid(DeadLetterReason.NOT_JSON);
    metrics.producerReplaced(ProducerReplacement.OUT_OF_ORDER_SEQUENCE);
    assertThat(count(GatewayMetrics.REFUSED, "journal-full")).isEqualTo(1);
    assertThat(count(GatewayMetrics.DROPPED, "not-authorized")).isEqualTo(1);
    assertThat(count(GatewayMetrics.DROPPED, "dead-letter-refused")).isEqualTo(1);
    assertThat(count(GatewayMetrics.CONNECTIONS_REFUSED, "tls-bad-certificate")).isEqualTo(1);
    assertThat(count(GatewayMetrics.CONNECTIONS_CLOSED, "packet-timeout")).isEqualTo(1);
    assertThat(count(GatewayMetrics.SUBSCRIPTIONS_REFUSED, "shared-not-supported")).isEqualTo(1);
    assertThat(count(GatewayMetrics.DEAD_LETTERED, "invalid-topic")).isEqualTo(1);
    assertThat(count(GatewayMetrics.DEAD_LETTERED, "not-json")).isEqualTo(1);
    assertThat(count(GatewayMetrics.PRODUCER_REPLACEMENTS, "out-of-order-sequence")).isEqualTo(1);
  }
}
