package io.edgegate.gateway.cli;

import io.edgegate.gateway.config.ConfigValues;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.journal.JournalInspector;
import io.edgegate.gateway.trace.EventTrace;
import io.edgegate.gateway.trace.KafkaAnswer;
import io.edgegate.gateway.trace.KafkaLookup;
import io.edgegate.gateway.trace.Routing;
import io.edgegate.gateway.trace.TraceJson;
import io.edgegate.gateway.trace.TraceReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgegate trace}: where an event is — journaled, forwarded, dead-lettered or waiting in the
 * backlog — by its id or for a device's latest events. Parses and prints only; the look-ups are
 * {@link EventTrace}'s. Reads the journal read-only and Kafka with a group-less consumer, so it
 * runs beside the gateway.
 */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Where is my event? Whether and when the event with this id (its ce_id) was received and"
          + " journaled, forwarded to Kafka (topic, partition, offset), dead-lettered (with the"
          + " reason) or is still in the backlog; or the same for a device's latest events.",
      "Reads the journal and Kafka only: safe while the gateway runs. Exit 0 answered, 1 Kafka"
          + " could not be asked (the journal's answer is printed), 2 bad usage or configuration."
    })
final class TraceCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  JournalLocation location;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "EVENT_ID",
      description = "The event's id: its ce_id in Kafka, eventId in `journal dump`.")
  String eventId;

  @Option(
      names = "--device",
      paramLabel = "ID",
      description = "Trace the latest events of this device (MQTT client id) instead.")
  String device;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "With --device: received at or after TIME (ISO-8601, or a duration ago: 15m).")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "With --device: received at or before TIME (ISO-8601, or a duration ago).")
  String until;

  @Option(
      names = "--last",
      paramLabel = "N",
      defaultValue = "10",
      description = "With --device: the last N events (default: ${DEFAULT-VALUE}, at most 10000).")
  int last;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,…]",
      description =
          "Kafka to ask instead of kafka.bootstrapServers (needed for an embedded broker on port"
              + " 0).")
  String bootstrapServers;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description = "The whole Kafka look-up's limit (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--skew",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description =
          "Search from this long before the event's time, for clocks that disagree (default:"
              + " ${DEFAULT-VALUE}).")
  String skew;

  @Option(
      names = "--scan-limit",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Read at most N Kafka records per partition (default: ${DEFAULT-VALUE}).")
  int scanLimit;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    CommandLine cl = spec.commandLine();
    UUID id = checkUsage(cl);
    Duration kafkaTimeout = DurationOption.parse(cl, "--timeout", timeout, false);
    Duration clockSkew = DurationOption.parse(cl, "--skew", skew, true);
    Instant sinceTime = time(cl, "--since", since);
    Instant untilTime = time(cl, "--until", until);
    GatewayConfig config = location.config();
    TraceReport report;
    try (JournalInspector journal = location.open(cl)) {
      Routing routing = config == null ? null : Routing.of(config);
      KafkaLookup kafka =
          config == null
              ? null
              : new KafkaLookup(
                  KafkaLookup.settings(
                      config,
                      KafkaAddress.of(cl, config, bootstrapServers, location.configFile),
                      kafkaTimeout),
                  kafkaTimeout,
                  clockSkew,
                  scanLimit);
      EventTrace trace = new EventTrace(journal, routing, kafka, clockSkew);
      report = id != null ? trace.byId(id) : trace.byDevice(device, sinceTime, untilTime, last);
    }
    PrintWriter out = cl.getOut();
    if (id != null) {
      out.println(json ? TraceJson.byId(report) : TraceText.byId(report));
    } else {
      out.println(
          json
              ? TraceJson.byDevice(report, device, sinceTime, untilTime, last)
              : TraceText.byDevice(report, device, sinceTime, untilTime, last));
    }
    out.flush();
    return report.kafka().status() == KafkaAnswer.Status.UNREACHABLE
        ? EdgeGateCommand.EXIT_RUNTIME
        : 0;
  }

  /** The id asked about, or null for a trace by device. */
  private UUID checkUsage(CommandLine cl) {
    if ((eventId == null) == (device == null)) {
      throw new CommandLine.ParameterException(
          cl, "name an EVENT_ID or a --device (one of the two)");
    }
    if (device == null) {
      if (since != null
          || until != null
          || spec.commandLine().getParseResult().hasMatchedOption("--last")) {
        throw new CommandLine.ParameterException(
            cl, "--since, --until and --last go with --device");
      }
      try {
        return UUID.fromString(eventId.trim());
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            cl, "'" + eventId + "' is not an event id (a UUID, as ce_id and journal dump show it)");
      }
    }
    if (last < 1 || last > 10_000) {
      throw new CommandLine.ParameterException(cl, "--last must be 1 to 10000, not " + last);
    }
    if (scanLimit < 1) {
      throw new CommandLine.ParameterException(cl, "--scan-limit must be 1 or more");
    }
    return null;
  }

  /** An ISO-8601 instant, or a duration before now. */
  private static Instant time(CommandLine cl, String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return Instant.now().minus(ConfigValues.parseDuration(value));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            cl,
            option
                + ": '"
                + value
                + "' is neither a time (2026-11-23T15:00:00Z) nor a duration ago (15m)");
      }
    }
  }
}
