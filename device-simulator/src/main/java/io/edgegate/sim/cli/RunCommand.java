package io.edgegate.sim.cli;

import io.edgegate.sim.audit.AuditOptions;
import io.edgegate.sim.audit.AuditReport;
import io.edgegate.sim.audit.AuditTable;
import io.edgegate.sim.audit.Auditor;
import io.edgegate.sim.record.RunDirectory;
import io.edgegate.sim.record.RunIds;
import io.edgegate.sim.scenario.Scenario;
import io.edgegate.sim.scenario.ScenarioException;
import io.edgegate.sim.scenario.ScenarioLoader;
import io.edgegate.sim.simulate.Simulation;
import io.edgegate.sim.simulate.SimulationResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code edgegate-sim run}: runs a scenario; with {@code --audit}, then audits it (the live demo).
 * Ctrl-C (SIGINT) or SIGTERM stops publishing; the run still drains, disconnects, writes its record
 * and summary (and audits).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = SimCommand.VersionProvider.class,
    sortOptions = false,
    description = {
      "Simulate devices: connect them, publish until --duration or --count (or Ctrl-C), print a"
          + " progress line a second and a summary, and record what was acknowledged under"
          + " --runs-dir for the audit.",
      "With --audit, then read Kafka back and audit the run (exit 3 if an acknowledged event is"
          + " lost)."
    })
final class RunCommand implements Callable<Integer> {
  private static final Duration LIVE_AUDIT_WAIT = Duration.ofSeconds(60);

  @ParentCommand SimCommand parent;

  @Mixin ScenarioOptions scenarioOptions;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "Id of this run (default: UTC start time and 4 random characters).")
  String runId;

  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      description = "Where run records go (default: data/sim-runs).")
  Path runsDir = RunDirectory.DEFAULT_ROOT;

  @Option(names = "--no-progress", description = "No progress line each second.")
  boolean noProgress;

  @Option(names = "--audit", description = "Audit the run in Kafka when it ends.")
  boolean audit;

  @Mixin KafkaOptions kafka;

  @Override
  public Integer call() throws Exception {
    Clock clock = Clock.systemUTC();
    Path file = scenarioOptions.file;
    Scenario scenario = file == null ? new Scenario() : ScenarioLoader.load(file);
    scenarioOptions.applyTo(scenario);
    scenario.validate(file == null ? "options" : file + " with options");
    String id = runId != null ? runId : RunIds.generate(clock);
    if (!RunIds.isValid(id)) {
      throw new ScenarioException(
          "options", List.of("--run-id: use 1 to 64 of A-Z a-z 0-9 . _ - (was '" + id + "')"));
    }
    RunDirectory dir = RunDirectory.create(runsDir, id);
    Simulation simulation = new Simulation(scenario, id, dir, parent.out, !noProgress, clock);

    CountDownLatch finished = new CountDownLatch(1);
    long hookWaitSeconds =
        scenario.drainTimeout.toSeconds() + 30 + (audit ? auditWait().toSeconds() + 60 : 0);
    Thread hook =
        new Thread(
            () -> {
              simulation.stop();
              try {
                finished.await(hookWaitSeconds, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "edgegate-sim-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      SimulationResult result = simulation.run();
      if (result.record().totals.connects == 0) {
        parent.err.printf("edgegate-sim: no device could connect to %s%n", result.record().broker);
        return SimCommand.EXIT_RUNTIME;
      }
      if (!audit) {
        parent.out.printf(
            "  audit with    bin/edgegate-sim audit --run-id %s -b %s%s%s%n",
            id,
            kafka.bootstrapServers,
            kafka.topics.isEmpty() ? "" : " -k " + String.join(",", kafka.topics),
            runsDir.equals(RunDirectory.DEFAULT_ROOT) ? "" : " --runs-dir " + runsDir);
        return SimCommand.EXIT_OK;
      }
      AuditOptions options = kafka.toAuditOptions(runsDir, LIVE_AUDIT_WAIT);
      options.runIds = List.of(id);
      AuditReport report = new Auditor(options, parent.err, clock).audit();
      AuditTable.print(report, parent.out);
      Path json = ReportFiles.write(report, kafka.json, runsDir, clock);
      parent.out.println("  report: " + json);
      return report.failed() ? SimCommand.EXIT_AUDIT_FAILED : SimCommand.EXIT_OK;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it has just been released
      }
    }
  }

  private Duration auditWait() {
    return kafka.wait != null ? kafka.wait : LIVE_AUDIT_WAIT;
  }
}
