package io.edgegate.sim.audit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The audit's findings, per run; written as JSON ({@code audit.json}) and printed as a table. Plain
 * data; not thread-safe.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class AuditReport {
  /** What makes an audit fail (exit code 3). Loss always does by default. */
  public enum FailOn {
    LOST,
    DUPLICATES,
    REORDERED;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public String auditedAt;
  public String bootstrapServers;
  public List<String> topics;

  /** Kafka timestamps considered (ISO-8601); null: unbounded. */
  public String from;

  public String to;
  public Records records = new Records();
  public List<Run> runs = new ArrayList<>();
  public List<String> failures = new ArrayList<>();

  /** {@code ok} or {@code failed}. */
  public String verdict;

  /** What was read. */
  public static final class Records {
    /** Kafka records read in the time range. */
    public long read;

    /** Records without a simulator stamp (other producers). */
    public long unstamped;

    /** Stamped records of runs not being audited. */
    public long otherRuns;

    /** Records outside the time range. */
    public long outOfRange;
  }

  /** One run. Counts the run record does not know are null. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Run {
    public String runId;

    /** Whether the run's record (run.json, acks.tsv) was found: without it, no loss count. */
    public boolean recorded;

    public String status;
    public Integer qos;
    public Integer devices;
    public Long sent;
    public Long acknowledged;

    /** Distinct events found in Kafka. */
    public long received;

    /** Kafka records of this run, duplicates included. */
    public long records;

    public int devicesSeen;

    /** Acknowledged, not found in Kafka. */
    public Long lost;

    public List<Event> lostExamples;
    public long duplicates;
    public long reordered;

    /** Found in Kafka though never acknowledged (QoS 0, or the acknowledgement was lost). */
    public Long deliveredUnacknowledged;

    /** Never acknowledged and not found: allowed (QoS 0, failed publishes). */
    public Long missingUnacknowledged;

    public Latency latencyMs;

    /** Events whose Kafka timestamp is earlier than their send time (clocks disagree). */
    public long clockSkewed;

    @JsonIgnore
    public boolean failed(Set<FailOn> failOn) {
      return !reasons(failOn).isEmpty();
    }

    List<String> reasons(Set<FailOn> failOn) {
      List<String> out = new ArrayList<>();
      if (failOn.contains(FailOn.LOST) && lost != null && lost > 0) {
        out.add(String.format(Locale.ROOT, "run %s: %,d acknowledged events lost", runId, lost));
      }
      if (failOn.contains(FailOn.DUPLICATES) && duplicates > 0) {
        out.add(String.format(Locale.ROOT, "run %s: %,d duplicates", runId, duplicates));
      }
      if (failOn.contains(FailOn.REORDERED) && reordered > 0) {
        out.add(String.format(Locale.ROOT, "run %s: %,d events out of order", runId, reordered));
      }
      return out;
    }
  }

  /** One event: device and sequence number. */
  public record Event(String device, long seq) {}

  /** Send to Kafka record timestamp, milliseconds. */
  @JsonPropertyOrder({"count", "p50", "p90", "p99", "p99.9", "max", "mean"})
  public static final class Latency {
    public long count;
    public long p50;
    public long p90;
    public long p99;

    @JsonProperty("p99.9")
    public long p999;

    public long max;
    public double mean;
  }

  /** Fills {@link #failures} and {@link #verdict}. */
  void decide(Set<FailOn> failOn) {
    failures.clear();
    for (Run r : runs) {
      failures.addAll(r.reasons(failOn));
    }
    verdict = failures.isEmpty() ? "ok" : "failed";
  }

  @JsonIgnore
  public boolean failed() {
    return !failures.isEmpty();
  }

  public static Set<FailOn> defaultFailOn() {
    return EnumSet.of(FailOn.LOST);
  }

  /** The run with that id, or null. */
  public Run run(String runId) {
    return runs.stream().filter(r -> r.runId.equals(runId)).findFirst().orElse(null);
  }
}
