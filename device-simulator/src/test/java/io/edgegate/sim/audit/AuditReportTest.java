package io.edgegate.sim.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class AuditReportTest {
  private static AuditReport report(Long lost, long duplicates, long reordered) {
    AuditReport.Run run = new AuditReport.Run();
    run.runId = "r";
    run.lost = lost;
    run.duplicates = duplicates;
    run.reordered = reordered;
    AuditReport report = new AuditReport();
    report.runs.add(run);
    return report;
  }

  @Test
  void byDefaultOnlyALostAcknowledgedEventFails() {
    AuditReport clean = report(0L, 3, 2);
    clean.decide(AuditReport.defaultFailOn());
    assertThat(clean.failed()).isFalse();
    assertThat(clean.verdict).isEqualTo("ok");

    AuditReport lossy = report(1L, 0, 0);
    lossy.decide(AuditReport.defaultFailOn());
    assertThat(lossy.failures).containsExactly("run r: 1 acknowledged events lost");
    assertThat(lossy.verdict).isEqualTo("failed");
  }

  @Test
  void duplicatesAndReorderingFailOnlyWhenAskedFor() {
    AuditReport r = report(0L, 3, 2);
    r.decide(EnumSet.allOf(AuditReport.FailOn.class));
    assertThat(r.failures).containsExactly("run r: 3 duplicates", "run r: 2 events out of order");
  }

  @Test
  void aRunWithoutARecordCannotFailOnLoss() {
    AuditReport r = report(null, 0, 0);
    r.decide(AuditReport.defaultFailOn());
    assertThat(r.failed()).isFalse();
  }
}
