package io.edgegate.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.ConfigValues;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.deadletter.DeadLetterReplay;
import io.edgegate.gateway.deadletter.ReplayFilter;
import io.edgegate.gateway.deadletter.ReplaySummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgegate deadletter replay}: parses the options, runs {@link DeadLetterReplay} and prints
 * its {@link ReplaySummary}. Safe beside the running gateway: it reads the dead-letter topic
 * without a consumer group and sends with a transactional id of its own.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Run this gateway's dead-lettered events through the pipeline the configuration defines now"
          + " (routes, schemas, upcasts, device registry).",
      "Those that pass go to their routed topic with their original ce_id; those that still fail"
          + " stay in the dead-letter topic and are listed with the reason they fail with now."
          + " Each replayed event is recorded in <dead-letter topic>.replayed in the same Kafka"
          + " transaction, so running again sends nothing twice. Not replayable: dead letters"
          + " Kafka refused (record-too-large, …; see journal replay), payload-too-large ones"
          + " (their payload was not kept), and those written before this release.",
      "Exit 0 when everything that passed was sent, 1 if a send failed (run it again), 2 on bad"
          + " usage or configuration."
    })
final class DeadLetterReplayCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description =
          "The gateway's YAML configuration, with the fix: pipeline, kafka.deadLetterTopic, Kafka"
              + " settings.")
  Path configFile;

  @Option(
      names = "--reason",
      paramLabel = "REASON",
      description =
          "Only dead letters with this edgegate_dlq_reason (e.g. schema-invalid,"
              + " unmatched-topic, unknown-device, not-json); repeatable.")
  List<String> reasons = new ArrayList<>();

  @Option(names = "--device", paramLabel = "ID", description = "Only this device's (client id).")
  String device;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Only events the gateway received at or after TIME: an RFC 3339 instant"
              + " (2026-12-07T08:00:00Z) or a duration ago (2h, 30m).")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Only events received before TIME (as --since).")
  String until;

  @Option(names = "--dry-run", description = "Say what would happen; send and record nothing.")
  boolean dryRun;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,…]",
      description =
          "Kafka to use instead of kafka.bootstrapServers (needed for an embedded broker on"
              + " port 0).")
  String bootstrapServers;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "Give up when Kafka has not answered or a read made no progress for this long"
              + " (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Spec CommandSpec spec;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    GatewayConfig config = ConfigLoader.load(configFile);
    ReplayFilter filter;
    try {
      filter =
          new ReplayFilter(
              Set.copyOf(reasons),
              device,
              time(since, "--since", clock),
              time(until, "--until", clock));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    Duration t = DurationOption.parse(cl, "--timeout", timeout, false);
    String bootstrap = KafkaAddress.of(cl, config, bootstrapServers, configFile);
    ReplaySummary summary = new DeadLetterReplay(config, bootstrap, t, clock).run(filter, dryRun);
    PrintWriter out = cl.getOut();
    if (json) {
      out.println(JSON.writeValueAsString(summary.json(JSON)));
    } else {
      summary.lines().forEach(out::println);
    }
    out.flush();
    return summary.complete() ? 0 : EdgeGateCommand.EXIT_RUNTIME;
  }

  /** An RFC 3339 instant, or a duration before now; null for null. */
  static Instant time(String text, String option, Clock clock) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return clock.instant().minus(ConfigValues.parseDuration(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            option
                + " '"
                + text
                + "' is neither an RFC 3339 instant (2026-12-07T08:00:00Z) nor a duration (2h)");
      }
    }
  }
}
