package io.edgegate.sim.cli;

import io.edgegate.sim.audit.AuditOptions;
import io.edgegate.sim.audit.AuditReport;
import io.edgegate.sim.audit.AuditTable;
import io.edgegate.sim.audit.Auditor;
import io.edgegate.sim.record.RunDirectory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code edgegate-sim audit}: reads Kafka back and reports loss, duplicates, order, latency. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    versionProvider = SimCommand.VersionProvider.class,
    description = {
      "Read the Kafka topic(s) back and report per run: sent, acknowledged, received, lost"
          + " (acknowledged but not in Kafka), duplicates, reordered events, and latency from send"
          + " to Kafka record timestamp.",
      "Runs: those named with --run-id; else every run in the --from/--to range; else the latest"
          + " run under --runs-dir. Exit code 3 when an acknowledged event is lost."
    })
final class AuditCommand implements Callable<Integer> {
  @ParentCommand SimCommand parent;

  @Mixin KafkaOptions kafka;

  @Option(names = "--run-id", paramLabel = "ID", split = ",", description = "Run(s) to audit.")
  List<String> runIds = new ArrayList<>();

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description =
          "Only records with a Kafka timestamp from TIME: 2026-11-23T15:00:00Z, or 10m (ago).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "Only records up to TIME.")
  String to;

  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      description = "Where run records are (default: data/sim-runs).")
  Path runsDir = RunDirectory.DEFAULT_ROOT;

  @Override
  public Integer call() throws Exception {
    Clock clock = Clock.systemUTC();
    AuditOptions options = kafka.toAuditOptions(runsDir, Duration.ofSeconds(10));
    options.runIds = List.copyOf(runIds);
    options.from = from == null ? null : Converters.instant(from, clock);
    options.to = to == null ? null : Converters.instant(to, clock);
    AuditReport report = new Auditor(options, parent.err, clock).audit();
    AuditTable.print(report, parent.out);
    Path file = ReportFiles.write(report, kafka.json, runsDir, clock);
    parent.out.println("  report: " + file);
    return report.failed() ? SimCommand.EXIT_AUDIT_FAILED : SimCommand.EXIT_OK;
  }
}
