package io.edgegate.gateway.observe.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.forward.DeadLetterNote;
import io.edgegate.gateway.forward.SendFailure;
import io.edgegate.gateway.observe.GatewayMetrics;
import io.edgegate.gateway.pipeline.DeadLetterReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The console's two rings keep a bounded amount, newest last, whatever is fed to them. */
class ConsoleRingsTest {

  @Test
  void theDeadLetterRingKeepsTheLastFiftyNewestFirstAndCountsAll() {
    RecentDeadLetters ring = new RecentDeadLetters(50);
    assertThat(ring.newestFirst()).isEmpty();
    for (int i = 0; i < 120; i++) {
      ring.add(new DeadLetterNote("id-" + i, "dev", "t", "not-json", "e" + i, null), i);
    }
    assertThat(ring.total()).isEqualTo(120);
    assertThat(ring.newestFirst()).hasSize(50);
    assertThat(ring.newestFirst().get(0).note().eventId()).isEqualTo("id-119");
    assertThat(ring.newestFirst().get(49).note().eventId()).isEqualTo("id-70");
  }

  @Test
  void theGatewaysMetersFeedTheRingOnlyWithDeadLettersAndKeepTheLastOutagesError() {
    var clock = Clock.fixed(Instant.ofEpochMilli(1234), ZoneOffset.UTC);
    var metrics = new GatewayMetrics(new SimpleMeterRegistry(), clock);
    metrics.forwarded(0);
    metrics.received(1);
    assertThat(metrics.recentDeadLetters().total()).isZero();
    metrics.invalid(
        DeadLetterReason.NOT_JSON, new DeadLetterNote("e1", "dev", "t", "not-json", "bad", "x"));
    metrics.deadLettered(
        SendFailure.RECORD_TOO_LARGE,
        new DeadLetterNote("e2", "dev", "t", "record-too-large", "big", null));
    assertThat(metrics.recentDeadLetters().newestFirst())
        .extracting(e -> e.note().eventId())
        .containsExactly("e2", "e1");
    assertThat(metrics.recentDeadLetters().newestFirst().get(0).atMillis()).isEqualTo(1234);
    assertThat(metrics.lastKafkaFailure()).isNull();
    metrics.kafkaFailed("TimeoutException: no broker");
    assertThat(metrics.lastKafkaFailure().error()).isEqualTo("TimeoutException: no broker");
  }

  @Test
  void longErrorsAreCutAndPreviewsAreShortAndPrintable() {
    RecentDeadLetters ring = new RecentDeadLetters(2);
    ring.add(new DeadLetterNote(null, null, null, "r", "x".repeat(10_000), null), 1);
    assertThat(ring.newestFirst().get(0).note().error())
        .hasSize(RecentDeadLetters.MAX_ERROR_CHARS + 1);
    String preview =
        DeadLetterNote.preview(("a\u0000b\nc" + "y".repeat(200)).getBytes(StandardCharsets.UTF_8));
    assertThat(preview).startsWith("a\uFFFDb\uFFFDc").hasSize(DeadLetterNote.PREVIEW_BYTES + 1);
    assertThat(DeadLetterNote.preview(new byte[0])).isNull();
  }

  @Test
  void theTrendKeepsItsCapacityAndRatesComeFromTheWindow() {
    Trend trend = new Trend(60);
    for (int s = 0; s < 100; s++) {
      trend.add(new Trend.Sample(s * 1000L, s * 10L, s * 5L, s, s * 100.0));
    }
    assertThat(trend.samples()).hasSize(60);
    assertThat(trend.samples().get(0).atMillis()).isEqualTo(40_000);
    assertThat(trend.newest().atMillis()).isEqualTo(99_000);
    double[] rates = trend.rates(10);
    assertThat(rates[0]).isEqualTo(10.0);
    assertThat(rates[1]).isEqualTo(5.0);
    assertThat(new Trend(3).rates(10)).containsExactly(0, 0);
  }
}
