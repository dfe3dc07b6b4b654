package io.edgegate.sim.audit;

import io.edgegate.sim.payload.Stamp;
import io.edgegate.sim.payload.StampReader;
import io.edgegate.sim.record.RunDirectory;
import io.edgegate.sim.record.RunRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads Kafka back and tells, per run, what was sent, acknowledged and received, what was lost,
 * duplicated or reordered, and the latency from send to Kafka record timestamp.
 *
 * <p>Which runs: those named; with none named but a time range, every run found in it; with
 * neither, the run that started last under the runs directory. A run with a record there (run.json,
 * acks.tsv) gets the loss count; a run without one only the receive side. Runs on the caller's
 * thread; <b>not thread-safe</b>.
 */
public final class Auditor {
  /**
   * How far before a run's recorded start its records are looked for: the send time comes from the
   * simulator's clock, the Kafka timestamp from the gateway's, and they may disagree a little.
   * ({@code --from} reads further back.)
   */
  static final Duration START_MARGIN = Duration.ofSeconds(10);

  /**
   * With only unacknowledged events missing (QoS 0, failed publishes), reading goes on while the
   * run's events keep arriving (a gateway may be draining a backlog), and stops after this long
   * without one: they may never come, and that is allowed.
   */
  static final Duration QUIET = Duration.ofSeconds(3);

  /** Runs tracked when discovering runs in a time range; more are counted, not audited. */
  static final int MAX_DISCOVERED_RUNS = 1000;

  private final AuditOptions options;
  private final PrintStream notes;
  private final Clock clock;
  private final Map<String, RunLedger> ledgers = new LinkedHashMap<>();
  private final AuditReport report = new AuditReport();
  private boolean discover;
  private Long fromMillis;
  private Long toMillis;

  public Auditor(AuditOptions options, PrintStream notes, Clock clock) {
    this.options = options;
    this.notes = notes;
    this.clock = clock;
  }

  public AuditReport audit() {
    chooseRuns();
    Instant from = options.from != null ? options.from : earliestStart();
    fromMillis = from == null ? null : from.toEpochMilli();
    toMillis = options.to == null ? null : options.to.toEpochMilli();
    report.auditedAt = Instant.now(clock).toString();
    report.bootstrapServers = options.bootstrapServers;
    report.topics = options.topics;
    report.from = from == null ? null : from.toString();
    report.to = options.to == null ? null : options.to.toString();

    new KafkaScan(options, notes).scan(fromMillis, this::accept, this::patience, this::found);

    for (RunLedger l : ledgers.values()) {
      report.runs.add(summarise(l));
    }
    report.decide(options.failOn);
    return report;
  }

  private void chooseRuns() {
    try {
      if (!options.runIds.isEmpty()) {
        for (String id : options.runIds) {
          Optional<RunDirectory> dir = RunDirectory.find(options.runsDir, id);
          if (dir.isEmpty()) {
            notes.printf(
                "audit: no record of run %s under %s: its losses cannot be counted%n",
                id, options.runsDir);
          }
          ledgers.put(id, load(id, dir.orElse(null)));
        }
      } else if (options.from != null || options.to != null) {
        discover = true;
      } else {
        RunDirectory latest =
            RunDirectory.latest(options.runsDir)
                .orElseThrow(
                    () ->
                        new AuditException(
                            "no run to audit: no run record under "
                                + options.runsDir
                                + "; name runs (--run-id) or a time range (--from, --to)"));
        ledgers.put(latest.runId(), load(latest.runId(), latest));
      }
    } catch (IOException e) {
      throw new AuditException("cannot read the runs directory " + options.runsDir, e);
    }
  }

  private RunLedger load(String runId, RunDirectory dir) {
    if (dir == null) {
      return new RunLedger(runId, null);
    }
    try {
      RunRecord record = dir.readRecord();
      RunLedger ledger = new RunLedger(runId, record);
      dir.readAcks(ledger::expectAcknowledged);
      if (RunRecord.STATUS_RUNNING.equals(record.status)) {
        notes.printf(
            "audit: run %s is still running or did not end cleanly: its ack record may be"
                + " incomplete%n",
            runId);
      }
      return ledger;
    } catch (IOException | UncheckedIOException e) {
      throw new AuditException("cannot read the record of run " + runId + " in " + dir.dir(), e);
    }
  }

  /** The earliest recorded start among the named runs, less the margin; null to read all. */
  private Instant earliestStart() {
    if (discover || ledgers.isEmpty()) {
      return null;
    }
    Instant earliest = null;
    for (RunLedger l : ledgers.values()) {
      if (l.record == null || l.record.startedAt == null) {
        return null; // a run we know nothing about: read everything
      }
      Instant start = Instant.parse(l.record.startedAt);
      earliest = earliest == null || start.isBefore(earliest) ? start : earliest;
    }
    return earliest.minus(START_MARGIN).truncatedTo(ChronoUnit.MILLIS);
  }

  private void accept(ConsumerRecord<byte[], byte[]> r) {
    long ts = r.timestamp();
    if ((fromMillis != null && ts < fromMillis) || (toMillis != null && ts > toMillis)) {
      report.records.outOfRange++;
      return;
    }
    report.records.read++;
    Stamp stamp = StampReader.read(r.value());
    if (stamp == null) {
      stamp = fromHeaders(r.headers());
    }
    if (stamp == null) {
      report.records.unstamped++;
      return;
    }
    RunLedger ledger = ledgers.get(stamp.runId());
    if (ledger == null) {
      if (!discover || ledgers.size() >= MAX_DISCOVERED_RUNS) {
        report.records.otherRuns++;
        return;
      }
      ledger = load(stamp.runId(), RunDirectory.find(options.runsDir, stamp.runId()).orElse(null));
      ledgers.put(stamp.runId(), ledger);
    }
    ledger.receive(stamp, ts);
  }

  /** For paths that carry the MQTT 5 user properties over as Kafka headers. */
  private static Stamp fromHeaders(Headers headers) {
    String run = header(headers, Stamp.USER_PROPERTY_RUN);
    String device = header(headers, Stamp.USER_PROPERTY_DEVICE);
    String seq = header(headers, Stamp.USER_PROPERTY_SEQ);
    String sentAt = header(headers, Stamp.USER_PROPERTY_SENT_AT);
    if (run == null || device == null || seq == null || sentAt == null) {
      return null;
    }
    try {
      return new Stamp(run, device, Long.parseLong(seq), Long.parseLong(sentAt));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** How long to read on without progress (nanoseconds): see {@link #QUIET}. */
  private long patience() {
    long patience = 0;
    for (RunLedger l : ledgers.values()) {
      if (!countsLoss(l)) {
        continue;
      }
      if (l.lost() > 0) {
        return options.wait.toNanos();
      }
      if (l.distinct() < l.record.totals.sent) {
        patience = Math.min(QUIET.toNanos(), options.wait.toNanos());
      }
    }
    return patience;
  }

  /** Events of the audited runs found so far. */
  private long found() {
    long n = 0;
    for (RunLedger l : ledgers.values()) {
      n += l.distinct();
    }
    return n;
  }

  /**
   * Loss is counted for runs with a record whose whole life lies in the time range read (a range
   * that cuts a run would report its cut-off events as lost).
   */
  private boolean countsLoss(RunLedger l) {
    if (l.record == null) {
      return false;
    }
    if (fromMillis != null && Instant.parse(l.record.startedAt).toEpochMilli() < fromMillis) {
      return false;
    }
    return toMillis == null
        || (l.record.finishedAt != null
            && Instant.parse(l.record.finishedAt).toEpochMilli() <= toMillis);
  }

  private AuditReport.Run summarise(RunLedger l) {
    AuditReport.Run r = new AuditReport.Run();
    r.runId = l.runId;
    r.recorded = l.hasRecord();
    r.received = l.distinct();
    r.records = l.records();
    r.devicesSeen = l.devicesSeen();
    r.duplicates = l.duplicates();
    r.reordered = l.reordered();
    r.clockSkewed = l.clockSkewed();
    if (l.hasRecord()) {
      RunRecord rec = l.record;
      r.status = rec.status;
      r.qos = rec.qos;
      r.devices = rec.devices;
      r.sent = rec.totals.sent;
      r.acknowledged = l.acknowledged();
      r.deliveredUnacknowledged = l.distinct() - l.acknowledgedFound();
      r.missingUnacknowledged =
          Math.max(0, rec.totals.sent - l.acknowledged() - r.deliveredUnacknowledged);
      if (countsLoss(l)) {
        r.lost = l.lost();
        if (r.lost > 0) {
          r.lostExamples = l.lostExamples(options.lostExamples);
        }
      } else {
        notes.printf(
            "audit: run %s is not wholly inside the time range read: losses not counted%n",
            l.runId);
      }
    }
    Histogram h = l.latencyMillis();
    if (h.getTotalCount() > 0) {
      AuditReport.Latency lat = new AuditReport.Latency();
      lat.count = h.getTotalCount();
      lat.p50 = h.getValueAtPercentile(50);
      lat.p90 = h.getValueAtPercentile(90);
      lat.p99 = h.getValueAtPercentile(99);
      lat.p999 = h.getValueAtPercentile(99.9);
      lat.max = h.getMaxValue();
      lat.mean = Math.round(h.getMean() * 10) / 10.0;
      r.latencyMs = lat;
    }
    return r;
  }
}
