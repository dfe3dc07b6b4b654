package io.edgegate.sim.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.sim.audit.AuditOptions;
import io.edgegate.sim.audit.AuditReport;
import io.edgegate.sim.audit.Auditor;
import io.edgegate.sim.record.RunDirectory;
import io.edgegate.sim.scenario.BurstSettings;
import io.edgegate.sim.scenario.Scenario;
import io.edgegate.sim.scenario.ScenarioLoader;
import io.edgegate.sim.simulate.Simulation;
import io.edgegate.sim.simulate.SimulationResult;
import io.edgegate.testsupport.GatewayHygiene;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An event storm through the real gateway, on the library API: the shipped event-storm scenario,
 * shortened. Reports the rate the burst achieved against its target (timing on a shared 2-core
 * machine is not asserted) and requires that nothing acknowledged was lost.
 */
@ExtendWith(GatewayHygiene.class)
@ExtendWith(SharedKafka.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BurstIT {
  @TempDir Path dir;

  @Test
  void aBurstScenarioReportsItsAchievedRateAndLosesNothing(SharedKafka.Broker kafka)
      throws Exception {
    try (TestGateway gw = TestGateway.start(dir.resolve("gw"), kafka.bootstrapServers(), "burst")) {
      Scenario s = ScenarioLoader.load(Path.of("scenarios", "event-storm.yaml"));
      s.mqtt.port = gw.mqttPort();
      s.devices.count = 50;
      s.devices.rampUp = Duration.ZERO;
      s.rate.perDevice = 20.0; // 1,000/s
      s.bursts = List.of(BurstSettings.parse("5x2s@2s")); // 5,000/s for 2 s
      s.duration = Duration.ofSeconds(5);
      s.validate("event-storm.yaml, shortened");
      Path runs = dir.resolve("runs");
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      SimulationResult result =
          new Simulation(
                  s,
                  "burst",
                  RunDirectory.create(runs, "burst"),
                  new PrintStream(console, true, StandardCharsets.UTF_8),
                  true,
                  Clock.systemUTC())
              .run();
      System.out.print(console.toString(StandardCharsets.UTF_8));

      assertThat(result.bursts()).hasSize(1);
      SimulationResult.BurstReport burst = result.bursts().get(0);
      assertThat(burst.factor()).isEqualTo(5.0);
      assertThat(burst.sent()).isPositive();
      assertThat(burst.targetRate()).isGreaterThan(0);
      System.out.printf(
          Locale.ROOT,
          "[measure] burst x5 for 2 s over 50 devices at QoS 1: target %.0f/s, achieved %.0f/s"
              + " (%.0f%%); whole run %.0f/s%n",
          burst.targetRate(),
          burst.achievedRate(),
          100 * burst.achievedRate() / burst.targetRate(),
          result.rate());
      assertThat(console.toString(StandardCharsets.UTF_8)).contains("burst x5");

      AuditOptions options = new AuditOptions();
      options.bootstrapServers = kafka.bootstrapServers();
      options.topics = List.of("burst");
      options.runIds = List.of("burst");
      options.runsDir = runs;
      options.wait = Duration.ofSeconds(60);
      AuditReport report = new Auditor(options, System.out, Clock.systemUTC()).audit();
      AuditReport.Run run = report.run("burst");
      assertThat(run.lost).isZero();
      assertThat(run.received).isGreaterThanOrEqualTo(run.acknowledged);
      assertThat(run.acknowledged).isEqualTo(result.record().totals.sent);
    }
  }
}
