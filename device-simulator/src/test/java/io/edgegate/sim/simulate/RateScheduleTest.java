package io.edgegate.sim.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.sim.scenario.BurstSettings;
import io.edgegate.sim.scenario.RateSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateScheduleTest {
  private static final long S = 1_000_000_000L;

  private static RateSettings rate(Double perDevice, Double total) {
    RateSettings r = new RateSettings();
    r.perDevice = perDevice;
    r.total = total;
    return r;
  }

  @Test
  void perDeviceRateScalesWithConnectedDevicesAndTotalCapsIt() {
    RateSchedule s = new RateSchedule(rate(10.0, 250.0), List.of());
    assertThat(s.rate(0, 0)).isZero();
    assertThat(s.rate(0, 20)).isEqualTo(200);
    assertThat(s.rate(0, 100)).isEqualTo(250);
  }

  @Test
  void aTotalRateAloneIsSpreadOverWhoeverIsConnected() {
    RateSchedule s = new RateSchedule(rate(null, 300.0), List.of());
    assertThat(s.rate(0, 1)).isEqualTo(300);
    assertThat(s.rate(0, 1000)).isEqualTo(300);
  }

  @Test
  void withoutRatesEachDeviceSendsOncePerSecond() {
    assertThat(new RateSchedule(rate(null, null), List.of()).rate(0, 7)).isEqualTo(7);
  }

  @Test
  void aBurstMultipliesTheRateWhileInForce() {
    BurstSettings b = BurstSettings.parse("10x5s@20s");
    RateSchedule s = new RateSchedule(rate(1.0, null), List.of(b));
    assertThat(s.rate(19 * S, 100)).isEqualTo(100);
    assertThat(s.rate(20 * S, 100)).isEqualTo(1000);
    assertThat(s.rate(25 * S - 1, 100)).isEqualTo(1000);
    assertThat(s.rate(25 * S, 100)).isEqualTo(100);
  }

  @Test
  void aRepeatingBurstHasNumberedOccurrences() {
    BurstSettings b = BurstSettings.parse("3x2s@10s/30s");
    assertThat(b.every).isEqualTo(Duration.ofSeconds(30));
    assertThat(RateSchedule.occurrence(b, 9 * S)).isEqualTo(-1);
    assertThat(RateSchedule.occurrence(b, 11 * S)).isEqualTo(0);
    assertThat(RateSchedule.occurrence(b, 13 * S)).isEqualTo(-1);
    assertThat(RateSchedule.occurrence(b, 41 * S)).isEqualTo(1);
    assertThat(RateSchedule.occurrence(b, 71 * S)).isEqualTo(2);
  }

  @Test
  void aLullOfFactorZeroStopsSending() {
    RateSchedule s = new RateSchedule(rate(5.0, null), List.of(BurstSettings.parse("0x1s@1s")));
    assertThat(s.rate(S + 1, 10)).isZero();
  }

  @Test
  void theBurstLogMeasuresWhatEachOccurrenceAchieved() {
    BurstSettings b = BurstSettings.parse("4x1s@1s");
    BurstLog log = new BurstLog(List.of(b));
    long tick = S / 1000;
    for (long t = 0; t < 3 * S; t += tick) {
      boolean in = RateSchedule.occurrence(b, t) >= 0;
      log.tick(t, tick, in ? 400 : 100, in ? (t / tick % 5 == 0 ? 1 : 0) : 0);
    }
    assertThat(log.occurrences()).hasSize(1);
    BurstLog.Occurrence o = log.occurrences().get(0);
    assertThat(o.startSeconds()).isEqualTo(1.0);
    assertThat(o.targetRate()).isEqualTo(400.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(o.achievedRate()).isEqualTo(200.0, org.assertj.core.data.Offset.offset(0.01));
  }
}
