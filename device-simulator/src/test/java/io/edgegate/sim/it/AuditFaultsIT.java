package io.edgegate.sim.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.sim.audit.AuditReport;
import io.edgegate.sim.cli.SimCommand;
import io.edgegate.sim.payload.Stamp;
import io.edgegate.sim.payload.StampReader;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit catches what it is for: a run through the real gateway (MQTT 3.1.1, QoS 2, binary
 * payloads) audits clean; a copy of its records written straight into another topic with one
 * acknowledged event left out, one written twice and two swapped is caught on all three counts.
 */
@ExtendWith(GatewayHygiene.class)
@ExtendWith(SharedKafka.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AuditFaultsIT {
  private static final String VICTIM = "sim-0002";

  @TempDir Path dir;

  @Test
  void theAuditDetectsAnInjectedLossDuplicateAndReordering(SharedKafka.Broker kafka)
      throws Exception {
    Path runs = dir.resolve("runs");
    String bootstrap = kafka.bootstrapServers();
    try (TestGateway gw = TestGateway.start(dir.resolve("gw"), bootstrap, "faults")) {
      Sim.Result clean =
          Sim.execute(
              "run",
              "--port",
              String.valueOf(gw.mqttPort()),
              "--mqtt-version",
              "3",
              "--qos",
              "2",
              "--payload",
              "binary",
              "--payload-max",
              "512",
              "--devices",
              "5",
              "--count",
              "40",
              "--rate",
              "max",
              "--in-flight",
              "4",
              "--run-id",
              "faults",
              "--runs-dir",
              runs.toString(),
              "--audit",
              "-b",
              bootstrap,
              "-k",
              "faults",
              "--wait",
              "60s",
              "--fail-on",
              "lost,duplicates,reordered");
      assertThat(clean.exitCode()).as(clean.err()).isEqualTo(SimCommand.EXIT_OK);
    }

    List<ConsumerRecord<byte[], byte[]>> original = KafkaTopics.readAll(bootstrap, "faults", 200);
    assertThat(original).hasSize(200);
    List<ConsumerRecord<byte[], byte[]>> tampered = new ArrayList<>();
    ConsumerRecord<byte[], byte[]> held = null;
    for (ConsumerRecord<byte[], byte[]> r : original) {
      Stamp s = StampReader.read(r.value());
      if (!s.deviceId().equals(VICTIM)) {
        tampered.add(r);
      } else if (s.seq() == 10) {
        continue; // lost
      } else if (s.seq() == 20) {
        tampered.add(r);
        tampered.add(r); // duplicated
      } else if (s.seq() == 30) {
        held = r; // written after 31
      } else {
        tampered.add(r);
        if (s.seq() == 31) {
          tampered.add(held);
        }
      }
    }
    KafkaTopics.create(bootstrap, "faults-tampered", 3);
    KafkaTopics.write(bootstrap, "faults-tampered", tampered);

    Path json = dir.resolve("tampered-audit.json");
    Sim.Result audit =
        Sim.execute(
            "audit",
            "--run-id",
            "faults",
            "--runs-dir",
            runs.toString(),
            "-b",
            bootstrap,
            "-k",
            "faults-tampered",
            "--wait",
            "2s",
            "--json",
            json.toString(),
            "--fail-on",
            "lost,duplicates,reordered");
    assertThat(audit.exitCode()).isEqualTo(SimCommand.EXIT_AUDIT_FAILED);
    assertThat(audit.out())
        .contains("lost in faults: sim-0002#10")
        .contains(
            "FAILED: run faults: 1 acknowledged events lost; run faults: 1 duplicates;"
                + " run faults: 1 events out of order");

    AuditReport report = Sim.audit(json);
    AuditReport.Run run = report.run("faults");
    assertThat(run.sent).isEqualTo(200);
    assertThat(run.acknowledged).isEqualTo(200);
    assertThat(run.records).isEqualTo(200);
    assertThat(run.received).isEqualTo(199);
    assertThat(run.lost).isEqualTo(1);
    assertThat(run.lostExamples).containsExactly(new AuditReport.Event(VICTIM, 10));
    assertThat(run.duplicates).isEqualTo(1);
    assertThat(run.reordered).isEqualTo(1);
    assertThat(report.verdict).isEqualTo("failed");

    // By default only a lost acknowledged event fails the audit; it is still there.
    Sim.Result byDefault =
        Sim.execute(
            "audit",
            "--run-id",
            "faults",
            "--runs-dir",
            runs.toString(),
            "-b",
            bootstrap,
            "-k",
            "faults-tampered",
            "--wait",
            "1s",
            "--json",
            dir.resolve("d.json").toString());
    assertThat(byDefault.exitCode()).isEqualTo(SimCommand.EXIT_AUDIT_FAILED);
    assertThat(byDefault.out()).contains("FAILED: run faults: 1 acknowledged events lost");
  }
}
