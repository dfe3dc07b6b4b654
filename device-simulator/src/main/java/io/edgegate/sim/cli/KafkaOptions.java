package io.edgegate.sim.cli;

import io.edgegate.sim.audit.AuditOptions;
import io.edgegate.sim.audit.AuditReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Where the audit reads and what makes it fail: shared by {@code audit} and {@code run --audit}.
 */
final class KafkaOptions {
  @Option(
      names = {"-b", "--bootstrap-servers"},
      paramLabel = "HOST:PORT,…",
      defaultValue = "127.0.0.1:9092",
      description = "Kafka to read back (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(
      names = {"-k", "--kafka-topic"},
      paramLabel = "TOPIC",
      split = ",",
      description = "Topic(s) the events land in (default: edgegate.events).")
  List<String> topics = new ArrayList<>();

  @Option(
      names = "--consumer-property",
      paramLabel = "KEY=VALUE",
      description = "Kafka consumer setting, e.g. security.protocol=SSL (repeatable).")
  Map<String, String> consumerProperties = new LinkedHashMap<>();

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description =
          "At the end of the topic, keep reading for acknowledged events still missing, up to"
              + " this long after the last one found (default: 10s; 60s for run --audit).")
  Duration wait;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "Write the report here (default: <runs-dir>/<run-id>/audit.json for one recorded run,"
              + " else <runs-dir>/audit-<time>.json).")
  Path json;

  @Option(
      names = "--fail-on",
      paramLabel = "WHAT",
      split = ",",
      description =
          "Exit with 3 on: lost (acknowledged, not in Kafka), duplicates, reordered (default:"
              + " lost). Valid: ${COMPLETION-CANDIDATES}.")
  Set<AuditReport.FailOn> failOn;

  @Option(
      names = "--lost-examples",
      paramLabel = "N",
      defaultValue = "20",
      description = "Lost events listed by id per run (default: ${DEFAULT-VALUE}).")
  int lostExamples;

  AuditOptions toAuditOptions(Path runsDir, Duration defaultWait) {
    AuditOptions o = new AuditOptions();
    o.bootstrapServers = bootstrapServers;
    if (!topics.isEmpty()) {
      o.topics = List.copyOf(topics);
    }
    o.consumerProperties = Map.copyOf(consumerProperties);
    o.runsDir = runsDir;
    o.wait = wait != null ? wait : defaultWait;
    o.failOn =
        failOn == null || failOn.isEmpty() ? AuditReport.defaultFailOn() : EnumSet.copyOf(failOn);
    o.lostExamples = lostExamples;
    return o;
  }
}
