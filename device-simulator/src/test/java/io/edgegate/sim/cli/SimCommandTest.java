package io.edgegate.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.sim.scenario.PayloadSettings;
import io.edgegate.sim.scenario.Scenario;
import io.edgegate.sim.scenario.ScenarioLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return SimCommand.commandLine(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .execute(args);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void optionsOverrideTheScenarioFileAndLeaveTheRest() throws Exception {
    Path file = dir.resolve("s.yaml");
    Files.writeString(file, "devices: {count: 50, inFlight: 8}\nrate: {perDevice: 2}\n");
    ScenarioOptions options = new ScenarioOptions();
    new CommandLine(options)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs(
            "-s",
            file.toString(),
            "-n",
            "7",
            "--qos",
            "2",
            "--payload",
            "fixed",
            "--payload-size",
            "1KiB",
            "--burst",
            "3x2s@5s",
            "--burst",
            "2x1s@9s/20s",
            "--churn-every",
            "10s",
            "--no-hostname-verification",
            "-R",
            "max",
            "-d",
            "1m");
    Scenario s = ScenarioLoader.load(file);
    options.applyTo(s);
    s.validate("t");
    assertThat(s.devices.count).isEqualTo(7);
    assertThat(s.devices.inFlight).as("from the file").isEqualTo(8);
    assertThat(s.rate.perDevice).as("from the file").isEqualTo(2.0);
    assertThat(s.rate.total).isInfinite();
    assertThat(s.mqtt.qos).isEqualTo(2);
    assertThat(s.payload.profile).isEqualTo(PayloadSettings.Profile.FIXED);
    assertThat(s.payload.fixedSize()).isEqualTo(1024);
    assertThat(s.bursts).hasSize(2);
    assertThat(s.bursts.get(1).every).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.churn.every).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.mqtt.tls.hostnameVerification).isFalse();
    assertThat(s.duration).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aBadScenarioExitsWith2AndNamesTheKey() {
    int code = run("run", "-n", "0", "--qos", "5", "--runs-dir", dir.toString());
    assertThat(code).isEqualTo(SimCommand.EXIT_USAGE);
    assertThat(err())
        .contains("edgegate-sim: invalid scenario: options:")
        .contains("devices.count: must be from 1")
        .contains("mqtt.qos: must be from 0 to 2");
  }

  @Test
  void aBadOptionValueExitsWith2() {
    assertThat(run("run", "--duration", "soon")).isEqualTo(SimCommand.EXIT_USAGE);
    assertThat(err()).contains("'soon' is not a duration");
  }

  @Test
  void checkValidatesTheShippedScenarios() throws Exception {
    String[] files =
        Files.list(Path.of("scenarios")).map(Path::toString).sorted().toArray(String[]::new);
    String[] args = new String[files.length + 1];
    args[0] = "check";
    System.arraycopy(files, 0, args, 1, files.length);
    assertThat(run(args)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("scenarios/demo.yaml: OK");
  }

  @Test
  void auditWithNothingToAuditSaysWhatToGive() {
    int code = run("audit", "--runs-dir", dir.resolve("none").toString());
    assertThat(code).isEqualTo(SimCommand.EXIT_USAGE);
    assertThat(err()).contains("no run to audit").contains("--run-id").contains("--from");
  }

  @Test
  void aRunIdIsUsedOnce() throws Exception {
    Files.createDirectories(dir.resolve("runs").resolve("taken"));
    int code =
        run("run", "--run-id", "taken", "--runs-dir", dir.resolve("runs").toString(), "-c", "1");
    assertThat(code).isEqualTo(SimCommand.EXIT_RUNTIME);
    assertThat(err()).contains("run taken exists already");
  }

  @Test
  void helpListsTheSubcommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("run")
        .contains("audit")
        .contains("check");
  }
}
