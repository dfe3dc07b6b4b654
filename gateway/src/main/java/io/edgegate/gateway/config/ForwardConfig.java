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

  /** At-least-once (default) or exactly-once into Kafka; see {@link Delivery}. */
  public Delivery delivery = Delivery.AT_LEAST_ONCE;

  /** Exactly-once: the most events in one transaction. */
  public int transactionMaxEvents = 1000;

  /** Exactly-once: how long a transaction may wait to fill before it commits. */
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration transactionMaxDelay = Duration.ofMillis(50);

  /**
   * Bytes handed to the Kafka producer and not yet acknowledged. Above it the pipeline stops
   * reading the journal; the journal holds the backlog. Keep it below the producer's {@code
   * buffer.memory} (32MiB by default) so that a send never blocks on memory.
   */
  @JsonDeserialize(using = ConfigValues.SizeDeserializer.class)
  public long maxInFlightBytes = 8L * 1024 * 1024;

  /** Events read from the journal and held in memory until Kafka acknowledges them. */
  public int maxBufferedEvents = 8192;

  /** Bytes of payload read from the journal and held in memory until Kafka acknowledges them. */
  @JsonDeserialize(using = ConfigValues.SizeDeserializer.class)
  public long maxBufferedBytes = 32L * 1024 * 1024;

  /**
   * First wait before re-sending after a retriable failure; doubles up to {@code retryBackoffMax}.
   */
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration retryBackoff = Duration.ofMillis(100);

  /** Longest wait between re-send attempts while Kafka is unavailable (the journal buffers). */
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration retryBackoffMax = Duration.ofSeconds(10);

  /** How long a send may wait for topic metadata before it counts as a retriable failure. */
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration metadataTimeout = Duration.ofSeconds(10);

  /**
   * Kafka counts as unavailable (metric {@code edgegate_kafka_available} 0, health degraded) once
   * the oldest event sent has waited this long for its acknowledgement — also when the producer is
   * still retrying on its own (e.g. too few in-sync replicas), which no send reports as a failure.
   */
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration unavailableAfter = Duration.ofSeconds(5);

  /** On shutdown: how long the producer may keep flushing before the gateway stops anyway. */
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
