package io.edgegate.sim.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.sim.audit.AuditReport;
import io.edgegate.sim.cli.SimCommand;
import io.edgegate.sim.record.RunRecord;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A thousand devices through the real gateway into real Kafka: nothing lost, counts agree. */
@ExtendWith(GatewayHygiene.class)
@ExtendWith(SharedKafka.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ThousandDevicesIT {
  @TempDir Path dir;

  @Test
  void aThousandDevicesCompleteWithZeroLossAndTheAuditCountsMatchWhatWasSent(
      SharedKafka.Broker kafka) throws Exception {
    Path runs = dir.resolve("runs");
    try (TestGateway gw =
        TestGateway.start(dir.resolve("gw"), kafka.bootstrapServers(), "thousand")) {
      Sim.Result r =
          Sim.execute(
              "run",
              "--host",
              "127.0.0.1",
              "--port",
              String.valueOf(gw.mqttPort()),
              "--devices",
              "1000",
              "--count",
              "20",
              "--rate",
              "10",
              "--ramp-up",
              "2s",
              "--in-flight",
              "8",
              "--run-id",
              "thousand",
              "--runs-dir",
              runs.toString(),
              "--audit",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--kafka-topic",
              "thousand",
              "--wait",
              "60s",
              "--fail-on",
              "lost,duplicates,reordered");

      assertThat(r.exitCode()).as(r.err()).isEqualTo(SimCommand.EXIT_OK);
      assertThat(r.out())
          .contains("run thousand: 1,000 devices -> mqtt://127.0.0.1:")
          .containsPattern("\\[ +[0-9]+s\\] sent [0-9,]+ \\([0-9,]+/s\\)  acked [0-9,]+  in-flight")
          .contains("every device sent its count")
          .contains("OK: no acknowledged event lost");

      RunRecord record = Sim.record(runs, "thousand");
      assertThat(record.status).isEqualTo(RunRecord.STATUS_FINISHED);
      assertThat(record.totals.sent).isEqualTo(20_000);
      assertThat(record.totals.acknowledged).isEqualTo(20_000);
      assertThat(record.totals.failed).isZero();
      assertThat(record.totals.connects).isEqualTo(1000);
      assertThat(record.totals.ackRanges).as("one range per device").isEqualTo(1000);
      assertThat(Files.readAllLines(runs.resolve("thousand").resolve("acks.tsv")))
          .hasSize(1001)
          .contains("sim-0001\t0\t19", "sim-1000\t0\t19");

      AuditReport report = Sim.audit(runs.resolve("thousand").resolve("audit.json"));
      assertThat(report.verdict).isEqualTo("ok");
      AuditReport.Run run = report.run("thousand");
      assertThat(run.sent).isEqualTo(20_000);
      assertThat(run.acknowledged).isEqualTo(20_000);
      assertThat(run.received).isEqualTo(20_000);
      assertThat(run.records).isEqualTo(20_000);
      assertThat(run.lost).isZero();
      assertThat(run.duplicates).isZero();
      assertThat(run.reordered).isZero();
      assertThat(run.devicesSeen).isEqualTo(1000);
      assertThat(run.latencyMs.count).isEqualTo(20_000);
      assertThat(run.latencyMs.p50).isLessThanOrEqualTo(run.latencyMs.p99);
      System.out.printf(
          "[measure] 1,000 devices x 20 QoS 1 events: send -> Kafka p50 %d ms, p99 %d ms, max %d ms%n",
          run.latencyMs.p50, run.latencyMs.p99, run.latencyMs.max);
    }
  }
}
