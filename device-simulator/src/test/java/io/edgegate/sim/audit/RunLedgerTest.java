package io.edgegate.sim.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.sim.payload.Stamp;
import io.edgegate.sim.record.RunRecord;
import org.junit.jupiter.api.Test;

class RunLedgerTest {
  private final RunLedger ledger = new RunLedger("r1", new RunRecord());

  private void receive(String device, long seq, long sentAt, long kafkaTime) {
    ledger.receive(new Stamp("r1", device, seq, sentAt), kafkaTime);
  }

  @Test
  void everythingAcknowledgedArrivedInOrder() {
    ledger.expectAcknowledged("d1", 0, 4);
    for (int i = 0; i < 5; i++) {
      receive("d1", i, 1000, 1000 + i);
    }
    assertThat(ledger.lost()).isZero();
    assertThat(ledger.duplicates()).isZero();
    assertThat(ledger.reordered()).isZero();
    assertThat(ledger.latencyMillis().getMaxValue()).isEqualTo(4);
  }

  @Test
  void countsLossDuplicatesAndReorderingSeparately() {
    ledger.expectAcknowledged("d1", 0, 9);
    long[] order = {0, 1, 3, 2, 4, 4, 5, 6, 8, 9}; // 7 lost, 4 twice, 2 after 3
    for (long seq : order) {
      receive("d1", seq, 0, 10);
    }
    assertThat(ledger.lost()).isEqualTo(1);
    assertThat(ledger.lostExamples(10)).containsExactly(new AuditReport.Event("d1", 7));
    assertThat(ledger.duplicates()).isEqualTo(1);
    assertThat(ledger.reordered()).isEqualTo(1);
    assertThat(ledger.distinct()).isEqualTo(9);
    assertThat(ledger.records()).isEqualTo(10);
  }

  @Test
  void unacknowledgedEventsAreNeitherLostNorFound() {
    ledger.expectAcknowledged("d1", 0, 1);
    receive("d1", 0, 0, 0);
    receive("d1", 1, 0, 0);
    receive("d1", 2, 0, 0); // a QoS 0 or failed publish that still arrived
    assertThat(ledger.lost()).isZero();
    assertThat(ledger.acknowledgedFound()).isEqualTo(2);
    assertThat(ledger.distinct()).isEqualTo(3);
  }

  @Test
  void aDeviceNeverSeenLosesEverythingItHadAcknowledged() {
    ledger.expectAcknowledged("d2", 0, 99);
    ledger.expectAcknowledged("d2", 200, 299);
    assertThat(ledger.lost()).isEqualTo(200);
    assertThat(ledger.lostExamples(3))
        .containsExactly(
            new AuditReport.Event("d2", 0),
            new AuditReport.Event("d2", 1),
            new AuditReport.Event("d2", 2));
  }

  @Test
  void aKafkaTimestampBeforeTheSendCountsAsClockSkewNotNegativeLatency() {
    receive("d1", 0, 5_000, 4_000);
    assertThat(ledger.clockSkewed()).isEqualTo(1);
    assertThat(ledger.latencyMillis().getMaxValue()).isZero();
  }
}
