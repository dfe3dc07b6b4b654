package io.edgegate.gateway.observe.console;

import io.edgegate.gateway.pipeline.schema.SchemaVersionsView;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What the console reads of a running gateway: totals of meters that exist anyway, the last backlog
 * and disk measurement, health's view of Kafka, the connected devices and the schema versions.
 * Nothing here is computed per event for the console. Thread-safe; everything but {@link #trace}
 * answers from memory.
 */
public interface ConsoleSources {
  /** MQTT PUBLISH packets received since the start (every QoS). */
  long eventsReceived();

  /** Events Kafka acknowledged since the start. */
  long eventsForwarded();

  int connectedDevices();

  DeviceDirectory devices();

  /** The last backlog measurement ({@code admin.refreshInterval}); NaN where unknown. */
  Backlog backlog();

  Kafka kafka();

  Disk disk();

  /**
   * Counters by reason, per meter: {@code connections} (refused before or at CONNECT), {@code
   * publishes} (QoS 1/2 refused), {@code dropped}, {@code subscriptions}, {@code closed}.
   */
  Map<String, Map<String, Long>> refusals();

  /** Dead letters since the start, by reason. */
  Map<String, Long> deadLetters();

  SchemaVersionsView schemas();

  /** The last dead letters' summaries. */
  RecentDeadLetters recentDeadLetters();

  /** Health's overall status and readiness ({@code /health/ready}'s first two fields). */
  String healthStatus();

  boolean ready();

  /**
   * {@code edgegate trace --json EVENT_ID}'s answer, from the journal and Kafka. Blocking (files,
   * network): a worker thread only.
   */
  String trace(UUID eventId) throws Exception;

  /**
   * {@code edgegate trace --json --device ID}'s answer: the last {@code last} events of a device
   * received in [{@code since}, {@code until}] (either null: open) and the fate of each. Blocking.
   */
  String traceDevice(String device, Instant since, Instant until, int last) throws Exception;

  record Backlog(double events, double bytes, double oldestAgeSeconds) {}

  /**
   * @param lastError what the last outage started with, or null
   * @param lastErrorAtMillis when, 0 for never
   */
  record Kafka(
      boolean available,
      boolean answered,
      String bootstrapServers,
      String lastError,
      long lastErrorAtMillis) {}

  /**
   * @param limitBytes {@code journal.maxBytes}, 0 for none
   * @param minFreeBytes {@code journal.minFreeDisk}
   * @param refusing why the journal refuses new events, or null
   */
  record Disk(
      double usedBytes, double freeBytes, long limitBytes, long minFreeBytes, String refusing) {}
}
