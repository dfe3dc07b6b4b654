package io.edgegate.gateway.observe;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.journal.JournalInspector;
import io.edgegate.gateway.observe.console.ConsoleSources;
import io.edgegate.gateway.observe.console.DeviceDirectory;
import io.edgegate.gateway.observe.console.RecentDeadLetters;
import io.edgegate.gateway.pipeline.DeadLetterReason;
import io.edgegate.gateway.pipeline.schema.SchemaVersionsView;
import io.edgegate.gateway.trace.EventTrace;
import io.edgegate.gateway.trace.KafkaLookup;
import io.edgegate.gateway.trace.Routing;
import io.edgegate.gateway.trace.TraceJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The console's readings of a running gateway: totals of the meters that exist anyway (read from
 * the registry when asked), the backlog gauge's last measurement, health, the devices through the
 * gateway's directory, the schema versions. Thread-safe (everything it reads is).
 */
final class ConsoleReadings implements ConsoleSources {
  /** A console trace asks Kafka for at most this long, and reads this many records a partition. */
  private static final Duration TRACE_KAFKA_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration TRACE_SKEW = Duration.ofSeconds(10);
  private static final int TRACE_SCAN_LIMIT = 100_000;

  private final GatewayConfig config;
  private final Observability.Stages stages;
  private final GatewayMetrics metrics;
  private final BacklogGauge backlog;
  private final Health health;
  private final MeterRegistry registry;

  ConsoleReadings(
      GatewayConfig config,
      Observability.Stages stages,
      GatewayMetrics metrics,
      BacklogGauge backlog,
      Health health,
      MeterRegistry registry) {
    this.config = config;
    this.stages = stages;
    this.metrics = metrics;
    this.backlog = backlog;
    this.health = health;
    this.registry = registry;
  }

  @Override
  public long eventsReceived() {
    return total(GatewayMetrics.RECEIVED);
  }

  @Override
  public long eventsForwarded() {
    return total(GatewayMetrics.FORWARDED);
  }

  @Override
  public int connectedDevices() {
    return stages.connectedDevices().getAsInt();
  }

  @Override
  public DeviceDirectory devices() {
    return stages.devices();
  }

  @Override
  public Backlog backlog() {
    return new Backlog(backlog.events(), backlog.bytes(), backlog.oldestAgeSeconds());
  }

  @Override
  public Kafka kafka() {
    GatewayMetrics.KafkaFailure f = metrics.lastKafkaFailure();
    return new Kafka(
        metrics.kafkaAvailable(),
        metrics.kafkaAnswered(),
        stages.bootstrapServers(),
        f == null ? null : f.error(),
        f == null ? 0 : f.atMillis());
  }

  @Override
  public Disk disk() {
    return new Disk(
        backlog.diskUsage(),
        backlog.diskFree(),
        config.journal.maxBytes,
        config.journal.minFreeDisk,
        stages.journal().writer().refusing());
  }

  @Override
  public Map<String, Map<String, Long>> refusals() {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    out.put("connections", byReason(GatewayMetrics.CONNECTIONS_REFUSED));
    out.put("publishes", byReason(GatewayMetrics.REFUSED));
    out.put("dropped", byReason(GatewayMetrics.DROPPED));
    out.put("subscriptions", byReason(GatewayMetrics.SUBSCRIPTIONS_REFUSED));
    out.put("closed", byReason(GatewayMetrics.CONNECTIONS_CLOSED));
    return out;
  }

  @Override
  public Map<String, Long> deadLetters() {
    Map<String, Long> out = byReason(GatewayMetrics.DEAD_LETTERED);
    // The pipeline's reasons have meters from their first occurrence: show them at 0 before.
    for (DeadLetterReason r : DeadLetterReason.values()) {
      out.putIfAbsent(r.tag(), 0L);
    }
    return out;
  }

  @Override
  public SchemaVersionsView schemas() {
    return stages.schemas();
  }

  @Override
  public RecentDeadLetters recentDeadLetters() {
    return metrics.recentDeadLetters();
  }

  @Override
  public String healthStatus() {
    return health.report().toJson().getString("status");
  }

  @Override
  public boolean ready() {
    return health.report().ready();
  }

  @Override
  public String trace(UUID eventId) throws Exception {
    try (JournalInspector journal =
        JournalInspector.open(stages.journal().dir(), config.journal.roll)) {
      return TraceJson.byId(eventTrace(journal).byId(eventId));
    }
  }

  @Override
  public String traceDevice(String device, Instant since, Instant until, int last)
      throws Exception {
    try (JournalInspector journal =
        JournalInspector.open(stages.journal().dir(), config.journal.roll)) {
      return TraceJson.byDevice(
          eventTrace(journal).byDevice(device, since, until, last), device, since, until, last);
    }
  }

  /** What `edgegate trace --json` asks, with this gateway's configuration and brokers. */
  private EventTrace eventTrace(JournalInspector journal) throws java.io.IOException {
    KafkaLookup kafka =
        new KafkaLookup(
            KafkaLookup.settings(config, stages.bootstrapServers(), TRACE_KAFKA_TIMEOUT),
            TRACE_KAFKA_TIMEOUT,
            TRACE_SKEW,
            TRACE_SCAN_LIMIT);
    return new EventTrace(journal, Routing.of(config), kafka, TRACE_SKEW);
  }

  private long total(String name) {
    double sum = 0;
    for (Counter c : registry.find(name).counters()) {
      sum += c.count();
    }
    return (long) sum;
  }

  private Map<String, Long> byReason(String name) {
    Map<String, Long> out = new TreeMap<>();
    for (Counter c : registry.find(name).counters()) {
      String reason = c.getId().getTag("reason");
      if (reason != null) {
        out.merge(reason, (long) c.count(), Long::sum);
      }
    }
    return out;
  }
}
