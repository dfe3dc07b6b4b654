package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/** {@code forward.*}: memory budgets and retry pacing of the journal → Kafka path. */
public final class ForwardConfig {

  /** What a consumer of the events topic may see. */
  public enum Delivery {
    /**
     * Every acknowledged event at least once; after a crash or a failed send, events that were in
     * flight may come again (same {@code ce_id}). Lowest latency, highest throughput.
     */
    AT_LEAST_ONCE,
    /**
     * Every acknowledged event exactly once for a consumer reading with {@code
     * isolation.level=read_committed}: events go in Kafka transactions, each committing the journal
     * position with them (the way Kafka Connect's exactly-once sources work, KIP-618). Costs
     * latency (events are visible when their transaction commits) and some throughput.
     */
    EXACTLY_ONCE
  }

  @KeyDoc(
      "What a consumer of the events topic may see. `at-least-once`: every acknowledged"
          + " event at least once; after a crash or a failed send, events that were in flight"
          + " may come again with the same `ce_id`; lowest latency, highest throughput. "
          + "`exactly-once`: events go in Kafka transactions, each committing the journal "
          + "position with them to `kafka.offsetsTopic` (as Kafka Connect's exactly-once "
          + "sources do, KIP-618); a `read_committed` consumer sees each event once; costs "
          + "latency (events are visible when their transaction commits) and some throughput."
          + " Each gateway needs its own `gateway.id`.")
  public Delivery delivery = Delivery.AT_LEAST_ONCE;

  @KeyDoc(
      value = "Exactly-once: the most events in one transaction (1 to 100000).",
      unit = "events")
  public int transactionMaxEvents = 1000;

  @KeyDoc("Exactly-once: how long a transaction may wait to fill before it commits (0 to 10s).")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration transactionMaxDelay = Duration.ofMillis(50);

  @KeyDoc(
      "Bytes (key, value and headers) handed to the Kafka producer and not yet "
          + "acknowledged. Above it the "
          + "pipeline stops reading the journal; the journal holds the backlog. Keep it below"
          + " the producer's `buffer.memory` (32MiB by default) so that a send never blocks "
          + "on memory.")
  @JsonDeserialize(using = ConfigValues.SizeDeserializer.class)
  public long maxInFlightBytes = 8L * 1024 * 1024;

  @KeyDoc(
      value =
          "Events read from the journal and held in memory until Kafka acknowledges them "
              + "(gauge `edgegate_pipeline_buffered_events`); the pipeline reads only while this "
              + "budget allows, so a backlog stays on disk.",
      unit = "events")
  public int maxBufferedEvents = 8192;

  @KeyDoc(
      "Bytes of payload read from the journal and held in memory until Kafka "
          + "acknowledges them (gauge `edgegate_pipeline_buffered_bytes`).")
  @JsonDeserialize(using = ConfigValues.SizeDeserializer.class)
  public long maxBufferedBytes = 32L * 1024 * 1024;

  @KeyDoc(
      "First wait before re-sending after a retriable failure; doubles up to `retryBackoffMax`.")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration retryBackoff = Duration.ofMillis(100);

  @KeyDoc("Longest wait between re-send attempts while Kafka is unavailable (the journal buffers).")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration retryBackoffMax = Duration.ofSeconds(10);

  @KeyDoc(
      "How long a send may wait for topic metadata before it counts as a retriable "
          + "failure (100ms to 50s).")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration metadataTimeout = Duration.ofSeconds(10);

  @KeyDoc(
      "Kafka counts as unavailable (metric `edgegate_kafka_available` 0, health "
          + "degraded) once the oldest event sent has waited this long for its "
          + "acknowledgement — also when the producer is still retrying on its own (e.g. too "
          + "few in-sync replicas), which no send reports as a failure.")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration unavailableAfter = Duration.ofSeconds(5);

  @KeyDoc(
      "On shutdown: how long in-flight Kafka sends may keep flushing before the gateway"
          + " stops anyway; unsent events stay in the journal for the next start. Give "
          + "`docker stop` or Kubernetes more than this plus a few seconds.")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration closeTimeout = Duration.ofSeconds(10);

  void validate(Problems problems) {
    problems.require(
        delivery != null, "forward.delivery", "must be one of at_least_once, exactly_once");
    problems.require(
        transactionMaxEvents >= 1 && transactionMaxEvents <= 100_000,
        "forward.transactionMaxEvents",
        "must be from 1 to 100000 (was " + transactionMaxEvents + ")");
    problems.require(
        transactionMaxDelay != null
            && !transactionMaxDelay.isNegative()
            && transactionMaxDelay.toSeconds() <= 10,
        "forward.transactionMaxDelay",
        "must be from 0ms to 10s");
    problems.require(
        maxInFlightBytes >= 64 * 1024, "forward.maxInFlightBytes", "must be at least 64KiB");
    problems.require(
        maxBufferedEvents >= 16 && maxBufferedEvents <= 1_000_000,
        "forward.maxBufferedEvents",
        "must be from 16 to 1000000 (was " + maxBufferedEvents + ")");
    problems.require(
        maxBufferedBytes >= 64 * 1024, "forward.maxBufferedBytes", "must be at least 64KiB");
    problems.require(
        retryBackoff != null && retryBackoff.toMillis() >= 1,
        "forward.retryBackoff",
        "must be at least 1ms");
    problems.require(
        retryBackoffMax != null
            && retryBackoff != null
            && retryBackoffMax.compareTo(retryBackoff) >= 0,
        "forward.retryBackoffMax",
        "must be at least forward.retryBackoff");
    problems.require(
        metadataTimeout != null
            && metadataTimeout.toMillis() >= 100
            && metadataTimeout.toSeconds() <= 50,
        "forward.metadataTimeout",
        "must be from 100ms to 50s (a send waiting longer would trip the blocked-thread checker)");
    problems.require(
        closeTimeout != null && !closeTimeout.isNegative(), "forward.closeTimeout", "must be set");
    problems.require(
        unavailableAfter != null && unavailableAfter.toMillis() >= 100,
        "forward.unavailableAfter",
        "must be at least 100ms");
  }
}
