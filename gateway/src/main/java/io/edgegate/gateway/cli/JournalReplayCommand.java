package io.edgegate.gateway.cli;

import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.forward.ProducerSettings;
import io.edgegate.gateway.journal.JournalCursor;
import io.edgegate.gateway.journal.JournalInspector;
import io.edgegate.gateway.pipeline.EventProcessor;
import io.edgegate.gateway.pipeline.PipelineStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgegate journal replay}: sends a range of journal entries to Kafka again, e.g. after a
 * downstream mishap. Safe beside the running gateway: the journal is only read, the checkpoint is
 * not touched, and the producer is a separate, non-transactional one.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Send the journal entries from --from to --to (inclusive) to Kafka again.",
      "Records are built as the gateway built them (same key, headers and ce_id, so consumers"
          + " can deduplicate); every acknowledgement is awaited. Safe while the gateway runs."
          + " Exit 0 if Kafka acknowledged all of them, 1 if any failed or was damaged."
    })
final class JournalReplayCommand implements Callable<Integer> {
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "The gateway's YAML configuration: journal location, Kafka settings.")
  Path configFile;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "The journal directory, if not the one the configuration names.")
  Path dir;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "INDEX",
      converter = JournalIndexes.class,
      description = "First index to send (0x… hex or decimal, as dump prints them).")
  long from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "INDEX",
      converter = JournalIndexes.class,
      description = "Last index to send, inclusive.")
  long to;

  @Option(
      names = "--topic",
      paramLabel = "TOPIC",
      description = "Send to this topic instead of kafka.topic.")
  String topic;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,…]",
      description =
          "Kafka to send to instead of kafka.bootstrapServers (needed for an embedded broker on"
              + " port 0).")
  String bootstrapServers;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "Give up on unacknowledged events after this long without any acknowledgement"
              + " (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException, java.io.IOException {
    CommandLine cl = spec.commandLine();
    GatewayConfig config = ConfigLoader.load(configFile);
    Duration idleTimeout = DurationOption.parse(cl, "--timeout", timeout, false);
    if (from > to) {
      throw new CommandLine.ParameterException(
          cl, "--from " + JournalIndexes.hex(from) + " is after --to " + JournalIndexes.hex(to));
    }
    if (topic != null && !TOPIC.matcher(topic).matches()) {
      throw new CommandLine.ParameterException(
          cl, "--topic '" + topic + "' is not a Kafka topic name (letters, digits, '.', '_', '-')");
    }
    String bootstrap = KafkaAddress.of(cl, config, bootstrapServers, configFile);
    Path journalDir = dir != null ? dir : config.journal.dir(config.gateway.dataDir);
    try (JournalInspector journal = JournalLocation.open(cl, journalDir, config)) {
      checkRange(cl, journal);
      Replayer.Outcome outcome;
      try (KafkaProducer<String, byte[]> producer = producer(cl, config, bootstrap);
          JournalCursor cursor = journal.cursorAt(from)) {
        outcome =
            new Replayer(
                    producer,
                    EventProcessor.load(config, PipelineStats.NONE)::process,
                    topic,
                    idleTimeout)
                .replay(cursor, to);
      }
      print(cl.getOut(), outcome, topic != null ? topic : config.kafka.topic, bootstrap);
      return outcome.complete() ? 0 : EdgeGateCommand.EXIT_RUNTIME;
    }
  }

  /** The journal must hold the whole range: a replay that silently started later would mislead. */
  private void checkRange(CommandLine cl, JournalInspector journal) {
    long first = journal.firstIndex();
    long last = journal.lastIndex();
    if (last < 0) {
      throw new CommandLine.ParameterException(
          cl, "the journal in " + journal.dir() + " is empty: nothing to replay");
    }
    if (from < first) {
      throw new CommandLine.ParameterException(
          cl,
          "--from "
              + JournalIndexes.hex(from)
              + " is before the oldest entry in the journal, "
              + JournalIndexes.hex(first)
              + " (older files were deleted, see journal.retention)");
    }
    if (to > last) {
      throw new CommandLine.ParameterException(
          cl,
          "--to "
              + JournalIndexes.hex(to)
              + " is after the newest entry in the journal, "
              + JournalIndexes.hex(last));
    }
  }

  private static KafkaProducer<String, byte[]> producer(
      CommandLine cl, GatewayConfig config, String bootstrap) {
    Map<String, Object> settings = new HashMap<>(ProducerSettings.of(config, bootstrap));
    // Never the gateway's transactional id (exactly-once mode): initialising it here would fence
    // the running gateway's producer. Replayed records are plain, idempotent sends, which
    // read_committed consumers see too.
    settings.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    // A client id of its own: quotas, broker logs and JMX tell the replay from the gateway.
    settings.put(
        ProducerConfig.CLIENT_ID_CONFIG, settings.get(ProducerConfig.CLIENT_ID_CONFIG) + "-replay");
    try {
      return new KafkaProducer<>(settings);
    } catch (KafkaException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new CommandLine.ParameterException(
          cl, "cannot create a Kafka producer for " + bootstrap + ": " + cause.getMessage());
    }
  }

  private void print(PrintWriter out, Replayer.Outcome o, String toTopic, String bootstrap) {
    out.printf(
        "replay %s..%s to topic %s at %s: %d sent, %d acknowledged, %d failed, %d damaged%n",
        JournalIndexes.hex(from),
        JournalIndexes.hex(to),
        toTopic,
        bootstrap,
        o.sent(),
        o.acked(),
        o.failed(),
        o.damaged());
    if (o.stoppedAt() >= 0) {
      out.printf(
          "stopped before %s: %s; to send the rest, replay again with --from %s%n",
          JournalIndexes.hex(o.stoppedAt()), o.stopReason(), JournalIndexes.hex(o.stoppedAt()));
    }
    for (String problem : o.problems()) {
      out.println("  " + problem);
    }
    out.flush();
  }
}
