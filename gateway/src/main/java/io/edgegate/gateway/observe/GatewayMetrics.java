package io.edgegate.gateway.observe;

import io.edgegate.gateway.forward.DeadLetterNote;
import io.edgegate.gateway.forward.ForwardDrop;
import io.edgegate.gateway.forward.ForwardStats;
import io.edgegate.gateway.forward.ProducerReplacement;
import io.edgegate.gateway.forward.SendFailure;
import io.edgegate.gateway.ingest.stats.ConnectionClose;
import io.edgegate.gateway.ingest.stats.ConnectionRefusal;
import io.edgegate.gateway.ingest.stats.IngestStats;
import io.edgegate.gateway.ingest.stats.PublishRefusal;
import io.edgegate.gateway.ingest.stats.SubscriptionRefusal;
import io.edgegate.gateway.journal.JournalStats;
import io.edgegate.gateway.observe.console.RecentDeadLetters;
import io.edgegate.gateway.pipeline.DeadLetterReason;
import io.edgegate.gateway.pipeline.PipelineStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The gateway's meters, by stage. Names are constants, tags have a small fixed set of values (no
 * device ids: cardinality stays bounded however many devices connect). Thread-safe.
 *
 * <p>It stays over 350 lines because it is the one implementation of the stages' four stats
 * interfaces: each method is one meter update, and every meter a dashboard reads is registered (at
 * 0) in one place, so that a new reason or stage cannot be forgotten in a second class.
 */
public final class GatewayMetrics
    implements IngestStats, JournalStats, ForwardStats, PipelineStats {
  public static final String RECEIVED = "edgegate.events.received";
  public static final String ACKNOWLEDGED = "edgegate.events.acknowledged";
  public static final String REFUSED = "edgegate.events.refused";
  public static final String DROPPED = "edgegate.events.dropped";
  public static final String JOURNALED = "edgegate.events.journaled";
  public static final String FORWARDED = "edgegate.events.forwarded";
  public static final String DEAD_LETTERED = "edgegate.events.dead.lettered";
  public static final String EXPIRED = "edgegate.events.expired";
  public static final String END_TO_END = "edgegate.event.latency";
  public static final String JOURNAL_APPEND = "edgegate.journal.append";
  public static final String JOURNAL_SYNC = "edgegate.journal.sync";
  public static final String JOURNAL_FAILURES = "edgegate.journal.failures";
  public static final String JOURNAL_DAMAGED = "edgegate.journal.damaged.entries";
  public static final String JOURNAL_REPAIRS = "edgegate.journal.repairs";
  public static final String FORWARD_RETRIES = "edgegate.forward.retries";
  public static final String PRODUCER_REPLACEMENTS = "edgegate.forward.producer.replacements";
  public static final String CONNECTIONS = "edgegate.mqtt.connections";
  public static final String CONNECTIONS_OPENED = "edgegate.mqtt.connections.opened";
  public static final String PROTOCOL_VIOLATIONS = "edgegate.mqtt.protocol.violations";
  public static final String CONNECTIONS_REFUSED = "edgegate.mqtt.connections.refused";
  public static final String CONNECTIONS_CLOSED = "edgegate.mqtt.connections.closed";
  public static final String THROTTLED = "edgegate.mqtt.publish.throttled";
  public static final String SUBSCRIPTIONS_REFUSED = "edgegate.mqtt.subscriptions.refused";
  public static final String PASSWORD_CHECKS = "edgegate.mqtt.password.checks";
  public static final String DUPLICATES = "edgegate.events.duplicates.suppressed";
  public static final String KAFKA_AVAILABLE = "edgegate.kafka.available";
  public static final String SCHEMA_VERSIONS = "edgegate.events.schema.versions";
  public static final String UPCAST = "edgegate.events.upcast";
  public static final String DEVICES_ON_OLD_SCHEMA = "edgegate.devices.on.old.schema";
  public static final String SCHEMA_DEVICES_EVICTED = "edgegate.schema.devices.evicted";

  private final MeterRegistry registry;
  private final Clock clock;
  private final Counter[] received = new Counter[3];
  private final Counter[] acknowledged = new Counter[3];
  private final Counter journaled;
  private final Counter forwarded;
  private final Counter expired;
  private final Counter retries;
  private final Counter opened;
  private final Counter violations;
  private final Counter journalFailures;
  private final Counter damaged;
  private final Counter repairs;
  private final Counter duplicates;
  private final Counter schemaDevicesEvicted;
  private final Timer endToEnd;
  private final Counter throttled;
  private final Timer passwordChecks;
  private final Timer append;
  private final Timer sync;
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean kafkaAvailable = true;
  private volatile boolean kafkaAnswered; // a send completed, either way, since the start
  // For the admin console; written only on a dead letter or when an outage starts.
  private final RecentDeadLetters recentDeadLetters = new RecentDeadLetters(50);
  private volatile KafkaFailure lastKafkaFailure;

  /** What the last Kafka outage started with. */
  public record KafkaFailure(String error, long atMillis) {}

  public GatewayMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    for (int q = 0; q < 3; q++) {
      received[q] =
          Counter.builder(RECEIVED)
              .tag("qos", Integer.toString(q))
              .description("MQTT PUBLISH packets received")
              .register(registry);
      acknowledged[q] =
          Counter.builder(ACKNOWLEDGED)
              .tag("qos", Integer.toString(q))
              .description("QoS 1/2 events journaled and acknowledged")
              .register(registry);
    }
    journaled =
        Counter.builder(JOURNALED).description("Events appended to the journal").register(registry);
    forwarded =
        Counter.builder(FORWARDED).description("Events acknowledged by Kafka").register(registry);
    expired =
        Counter.builder(EXPIRED)
            .description(
                "Events not forwarded because their MQTT 5 Message Expiry Interval ran out first")
            .register(registry);
    retries =
        Counter.builder(FORWARD_RETRIES)
            .description("Re-send rounds after a retriable Kafka failure")
            .register(registry);
    opened =
        Counter.builder(CONNECTIONS_OPENED)
            .description(
                "TCP (TLS) connections the MQTT listener accepted, before CONNECT and limits")
            .register(registry);
    violations =
        Counter.builder(PROTOCOL_VIOLATIONS)
            .description("Connections closed for bad MQTT")
            .register(registry);
    journalFailures =
        Counter.builder(JOURNAL_FAILURES)
            .description("Journal appends or syncs that failed")
            .register(registry);
    damaged =
        Counter.builder(JOURNAL_DAMAGED)
            .description("Journal entries that could not be decoded and were skipped")
            .register(registry);
    repairs =
        Counter.builder(JOURNAL_REPAIRS)
            .description(
                "Damaged journal files found while running, moved to quarantine after their"
                    + " readable entries were appended again")
            .register(registry);
    endToEnd =
        Timer.builder(END_TO_END)
            .description("From MQTT receive to Kafka acknowledgement")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(10))
            .register(registry);
    append =
        Timer.builder(JOURNAL_APPEND)
            .description("Journal append time")
            .serviceLevelObjectives(millis(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 50))
            .register(registry);
    // fsync is what an SD card makes slow: buckets up to seconds.
    sync =
        Timer.builder(JOURNAL_SYNC)
            .description("Journal fsync time")
            .serviceLevelObjectives(millis(0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 5000))
            .register(registry);
    duplicates =
        Counter.builder(DUPLICATES)
            .description(
                "Repeats not forwarded again: QoS 2 PUBLISH repeats [MQTT-4.3.3-9] and repeated"
                    + " device message ids")
            .register(registry);
    schemaDevicesEvicted =
        Counter.builder(SCHEMA_DEVICES_EVICTED)
            .description("Devices the schema-version tracking forgot to stay within its bound")
            .register(registry);
    Gauge.builder(CONNECTIONS, connections, AtomicInteger::get)
        .description("MQTT connections open now")
        .register(registry);
    Gauge.builder(KAFKA_AVAILABLE, this, m -> m.kafkaAvailable ? 1 : 0)
        .description("1 while the last send to Kafka succeeded, 0 while sends fail")
        .register(registry);
    // Every reason registered at 0, so that dashboards and rate() see the series before the first
    // occurrence. The pipeline's dead-letter reasons appear from their first occurrence.
    for (PublishRefusal r : PublishRefusal.values()) {
      reasonCounter(REFUSED, r.tag());
      reasonCounter(DROPPED, r.tag());
    }
    for (ForwardDrop r : ForwardDrop.values()) {
      reasonCounter(DROPPED, r.tag());
    }
    for (SendFailure r : SendFailure.values()) {
      if (r != SendFailure.RETRY) {
        reasonCounter(DEAD_LETTERED, r.tag());
      }
    }
    for (ConnectionRefusal r : ConnectionRefusal.values()) {
      reasonCounter(CONNECTIONS_REFUSED, r.tag());
    }
    for (ConnectionClose r : ConnectionClose.values()) {
      reasonCounter(CONNECTIONS_CLOSED, r.tag());
    }
    for (SubscriptionRefusal r : SubscriptionRefusal.values()) {
      reasonCounter(SUBSCRIPTIONS_REFUSED, r.tag());
    }
    for (ProducerReplacement r : ProducerReplacement.values()) {
      producerReplacements(r);
    }
    throttled =
        Counter.builder(THROTTLED)
            .description("PUBLISH packets over their device's rate (socket paused or disconnected)")
            .register(registry);
    passwordChecks =
        Timer.builder(PASSWORD_CHECKS)
            .description("Password checks (bcrypt, on the password-check threads)")
            .serviceLevelObjectives(millis(10, 25, 50, 100, 250, 500, 1000))
            .register(registry);
  }

  private Counter reasonCounter(String name, String reason) {
    return Counter.builder(name)
        .tag("reason", reason)
        .description(
            switch (name) {
              case REFUSED -> "QoS 1/2 events not journaled; the device was told or disconnected";
              case DROPPED ->
                  "Events lost on purpose: QoS 0 the journal could not take, or"
                      + " refused by the dead-letter topic too (they stay in the journal)";
              case DEAD_LETTERED -> "Events Kafka refused for good, sent to the dead-letter topic";
              case CONNECTIONS_CLOSED ->
                  "MQTT connections closed by a limit (keep-alive, packet timeout, rate, in-flight)";
              case SUBSCRIPTIONS_REFUSED -> "SUBSCRIBE topic filters refused";
              default -> "MQTT connections refused or failed before CONNECT completed";
            })
        .register(registry);
  }

  private static Duration[] millis(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos((long) (values[i] * 1_000_000));
    }
    return out;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public boolean kafkaAvailable() {
    return kafkaAvailable;
  }

  /** True once a send to Kafka completed (succeeded or failed) since the start. */
  public boolean kafkaAnswered() {
    return kafkaAnswered;
  }

  @Override
  public void accepted() {
    opened.increment();
  }

  @Override
  public void connected() {
    connections.incrementAndGet();
  }

  @Override
  public void disconnected() {
    connections.decrementAndGet();
  }

  @Override
  public void received(int qos) {
    received[qos].increment();
  }

  @Override
  public void acknowledged(int qos) {
    acknowledged[qos].increment();
  }

  @Override
  public void refused(PublishRefusal reason) {
    reasonCounter(REFUSED, reason.tag()).increment();
  }

  @Override
  public void dropped(PublishRefusal reason) {
    reasonCounter(DROPPED, reason.tag()).increment();
  }

  @Override
  public void dropped(ForwardDrop reason) {
    reasonCounter(DROPPED, reason.tag()).increment();
  }

  @Override
  public void expired() {
    expired.increment();
  }

  @Override
  public void duplicateSuppressed() {
    duplicates.increment();
  }

  @Override
  public void connectionRefused(ConnectionRefusal reason) {
    reasonCounter(CONNECTIONS_REFUSED, reason.tag()).increment();
  }

  @Override
  public void connectionClosed(ConnectionClose reason) {
    reasonCounter(CONNECTIONS_CLOSED, reason.tag()).increment();
  }

  @Override
  public void throttled() {
    throttled.increment();
  }

  @Override
  public void subscriptionRefused(SubscriptionRefusal reason) {
    reasonCounter(SUBSCRIPTIONS_REFUSED, reason.tag()).increment();
  }

  @Override
  public void passwordChecked(long nanos) {
    passwordChecks.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void protocolViolation() {
    violations.increment();
  }

  @Override
  public void appended(int bytes, long nanos) {
    journaled.increment();
    append.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void synced(long nanos) {
    sync.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void failed() {
    journalFailures.increment();
  }

  @Override
  public void refusedFull() {
    // counted by the ingest side as refused/dropped, PublishRefusal.JOURNAL_FULL
  }

  @Override
  public void damaged() {
    damaged.increment();
  }

  @Override
  public void repaired(int salvaged, int unreadable) {
    repairs.increment();
    damaged.increment(unreadable);
  }

  @Override
  public void forwarded(long receivedAtMillis) {
    forwarded.increment();
    endToEnd.record(Math.max(0, clock.millis() - receivedAtMillis), TimeUnit.MILLISECONDS);
  }

  @Override
  public void deadLettered(SendFailure reason) {
    reasonCounter(DEAD_LETTERED, reason.tag()).increment();
  }

  @Override
  public void deadLettered(SendFailure reason, DeadLetterNote note) {
    deadLettered(reason);
    recentDeadLetters.add(note, clock.millis());
  }

  @Override
  public void invalid(DeadLetterReason reason, DeadLetterNote note) {
    invalid(reason);
    recentDeadLetters.add(note, clock.millis());
  }

  /** The last dead letters' summaries (the console's list). */
  public RecentDeadLetters recentDeadLetters() {
    return recentDeadLetters;
  }

  /** What the last Kafka outage started with, or null. */
  public KafkaFailure lastKafkaFailure() {
    return lastKafkaFailure;
  }

  @Override
  public void kafkaFailed(String error) {
    lastKafkaFailure = new KafkaFailure(error, clock.millis());
  }

  @Override
  public void invalid(DeadLetterReason reason) {
    // the pipeline's dead letters: same meter, their own reasons
    reasonCounter(DEAD_LETTERED, reason.tag()).increment();
  }

  @Override
  public void deviceClockSkew(long millis) {
    io.micrometer.core.instrument.DistributionSummary.builder("edgegate.device.clock.skew")
        .baseUnit("milliseconds")
        .description("Receive time minus the device's own timestamp, where a route names it")
        .register(registry)
        .record(Math.abs(millis));
  }

  @Override
  public void unknownDevice() {
    registry.counter("edgegate.events.unknown.device").increment();
  }

  // Schema versions: the pipeline asks for each configured (type, version) when it adopts its
  // schemas, so every series exists at 0 before the first event, and an event only increments.
  @Override
  public Tally schemaVersion(String type, int version) {
    return Counter.builder(SCHEMA_VERSIONS)
            .tag("type", type)
            .tag("version", Integer.toString(version))
            .description("Valid events by schema and the version they claimed (before any upcast)")
            .register(registry)
        ::increment;
  }

  @Override
  public Tally upcast(String type, int from, int to) {
    return Counter.builder(UPCAST)
            .tag("type", type)
            .tag("from", Integer.toString(from))
            .tag("to", Integer.toString(to))
            .description("Valid events upcast from an older version of their schema to the current")
            .register(registry)
        ::increment;
  }

  @Override
  public void devicesOnOldSchema(String type, java.util.function.IntSupplier devices) {
    Gauge.builder(DEVICES_ON_OLD_SCHEMA, devices, IntSupplier::getAsInt)
        .tag("type", type)
        .description(
            "Devices whose last valid event of the schema claimed an older version than the"
                + " current one (of those remembered)")
        .strongReference(true) // the supplier is held by nothing else
        .register(registry);
  }

  @Override
  public void schemaDeviceEvicted() {
    schemaDevicesEvicted.increment();
  }

  @Override
  public void retried() {
    retries.increment();
  }

  @Override
  public void producerReplaced(ProducerReplacement reason) {
    producerReplacements(reason).increment();
  }

  private Counter producerReplacements(ProducerReplacement reason) {
    return Counter.builder(PRODUCER_REPLACEMENTS)
        .tag("reason", reason.tag())
        .description("Kafka producers closed and replaced because they could not recover")
        .register(registry);
  }

  @Override
  public void kafkaAvailable(boolean available) {
    kafkaAvailable = available;
    kafkaAnswered = true;
  }
}
