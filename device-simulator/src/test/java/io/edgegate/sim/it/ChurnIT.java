package io.edgegate.sim.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.sim.audit.AuditReport;
import io.edgegate.sim.cli.SimCommand;
import io.edgegate.sim.record.RunRecord;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconnect storms through the real gateway (the shipped scenario, shortened): every second all
 * devices drop with their will and come back. Publishes cut off are not counted as acknowledged;
 * every acknowledged one must still be in Kafka.
 */
@ExtendWith(GatewayHygiene.class)
@ExtendWith(SharedKafka.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ChurnIT {
  @TempDir Path dir;

  @Test
  void acknowledgedEventsSurviveReconnectStorms(SharedKafka.Broker kafka) throws Exception {
    Path runs = dir.resolve("runs");
    try (TestGateway gw = TestGateway.start(dir.resolve("gw"), kafka.bootstrapServers(), "churn")) {
      Sim.Result r =
          Sim.execute(
              "run",
              "--scenario",
              "scenarios/reconnect-storm.yaml",
              "--port",
              String.valueOf(gw.mqttPort()),
              "--devices",
              "100",
              "--ramp-up",
              "0s",
              "--rate",
              "20",
              "--churn-every",
              "1s",
              "--churn-downtime",
              "200ms",
              "--duration",
              "4s",
              "--run-id",
              "churn",
              "--runs-dir",
              runs.toString(),
              "--audit",
              "-b",
              kafka.bootstrapServers(),
              "-k",
              "churn",
              "--wait",
              "60s");
      assertThat(r.exitCode()).as(r.err()).isEqualTo(SimCommand.EXIT_OK);

      RunRecord record = Sim.record(runs, "churn");
      // At least one storm cut every device, and every device came back (a loaded machine may
      // fit fewer storms into the 4 s).
      assertThat(record.totals.churned).isGreaterThanOrEqualTo(100);
      assertThat(record.totals.connects).isGreaterThanOrEqualTo(200);
      assertThat(record.totals.acknowledged + record.totals.failed + record.totals.late)
          .isEqualTo(record.totals.sent);

      AuditReport.Run run = Sim.audit(runs.resolve("churn").resolve("audit.json")).run("churn");
      assertThat(run.lost).isZero();
      assertThat(run.received).isGreaterThanOrEqualTo(run.acknowledged);
      System.out.printf(
          "[measure] reconnect storms: %d sent, %d acknowledged, %d publishes cut off"
              + " (%d of them reached Kafka anyway), %d duplicates, %d reordered%n",
          record.totals.sent,
          record.totals.acknowledged,
          record.totals.failed + record.totals.late,
          run.deliveredUnacknowledged,
          run.duplicates,
          run.reordered);
    }
  }
}
