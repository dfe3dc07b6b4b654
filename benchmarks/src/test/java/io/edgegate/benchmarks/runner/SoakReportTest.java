package io.edgegate.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakReportTest {
  @Test
  void timingScalesWithTheLength() {
    Soak.Timing full = Soak.Timing.of(30);
    assertThat(full.warmUp()).isEqualTo(Duration.ofMinutes(2));
    assertThat(full.baseline()).isEqualTo(Duration.ofMinutes(5));
    assertThat(full.outage()).isEqualTo(Duration.ofSeconds(60));
    assertThat(full.outageStart()).isEqualTo(Duration.ofSeconds(870));

    Soak.Timing shortOne = Soak.Timing.of(3);
    assertThat(shortOne.warmUp()).isEqualTo(Duration.ofSeconds(18));
    assertThat(shortOne.baseline()).isEqualTo(Duration.ofSeconds(30));
    assertThat(shortOne.outage()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aSteadyFigureIsFlatAndAGrowingOneIsNot() {
    Soak.Timing t = Soak.Timing.of(30);
    List<double[]> samples = new ArrayList<>();
    for (int s = 10; s <= 1800; s += 10) {
      samples.add(new double[] {s, 40 + (s % 20 == 0 ? 1 : -1), 100 + s / 10.0, 50});
    }
    SoakReport.Trend heap = SoakReport.trend(samples, 1, t);
    assertThat(heap.flat()).isTrue();
    assertThat(heap.baseline()).isCloseTo(40, within(0.2));
    assertThat(heap.slopePerHour()).isCloseTo(0, within(0.5));

    SoakReport.Trend rss = SoakReport.trend(samples, 2, t);
    assertThat(rss.flat()).isFalse();
    assertThat(rss.slopePerHour()).isCloseTo(360, within(1.0)); // 0.1 MiB a second

    assertThat(SoakReport.trend(samples, 3, t).change()).isZero();
  }
}
