package io.edgegate.sim.audit;

import java.io.PrintStream;
import java.util.Locale;

/** Prints an {@link AuditReport} for people: one row per run, then notes and the verdict. */
public final class AuditTable {
  private static final String ROW = "%-24s %10s %10s %10s %8s %6s %9s %6s %6s %6s %6s %6s%n";

  private AuditTable() {}

  public static void print(AuditReport report, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%nAudit of %s on %s%s%n%n",
        String.join(", ", report.topics),
        report.bootstrapServers,
        report.from == null ? "" : " (records from " + report.from + ")");
    out.printf(
        Locale.ROOT,
        ROW,
        "run",
        "sent",
        "acked",
        "received",
        "lost",
        "dup",
        "reordered",
        "p50",
        "p90",
        "p99",
        "p99.9",
        "max");
    for (AuditReport.Run r : report.runs) {
      AuditReport.Latency l = r.latencyMs;
      out.printf(
          Locale.ROOT,
          ROW,
          r.runId,
          count(r.sent),
          count(r.acknowledged),
          count(r.received),
          count(r.lost),
          count(r.duplicates),
          count(r.reordered),
          l == null ? "-" : l.p50,
          l == null ? "-" : l.p90,
          l == null ? "-" : l.p99,
          l == null ? "-" : l.p999,
          l == null ? "-" : l.max);
    }
    out.printf(Locale.ROOT, "%60s latency send -> Kafka record timestamp, ms%n", "");
    for (AuditReport.Run r : report.runs) {
      if (r.lostExamples != null && !r.lostExamples.isEmpty()) {
        StringBuilder b = new StringBuilder();
        for (AuditReport.Event e : r.lostExamples) {
          b.append(b.length() == 0 ? "" : ", ").append(e.device()).append('#').append(e.seq());
        }
        out.printf(
            Locale.ROOT,
            "  lost in %s: %s%s%n",
            r.runId,
            b,
            r.lost != null && r.lost > r.lostExamples.size() ? ", …" : "");
      }
      if (r.qos != null && r.qos == 0) {
        out.printf(
            Locale.ROOT,
            "  %s: QoS 0, nothing to acknowledge: %,d of %,d events sent" + " reached Kafka%n",
            r.runId,
            r.received,
            r.sent);
      } else {
        if (r.deliveredUnacknowledged != null && r.deliveredUnacknowledged > 0) {
          out.printf(
              Locale.ROOT,
              "  %s: %,d events in Kafka were never acknowledged (the"
                  + " connection closed before the acknowledgement)%n",
              r.runId,
              r.deliveredUnacknowledged);
        }
        if (r.missingUnacknowledged != null && r.missingUnacknowledged > 0) {
          out.printf(
              Locale.ROOT,
              "  %s: %,d events whose publish failed are not in Kafka"
                  + " (allowed: they were never acknowledged)%n",
              r.runId,
              r.missingUnacknowledged);
        }
      }
      if (!r.recorded) {
        out.printf(
            Locale.ROOT,
            "  %s: no run record here: sent, acknowledged and lost unknown%n",
            r.runId);
      }
      if (r.clockSkewed > 0) {
        out.printf(
            Locale.ROOT,
            "  %s: %,d events have a Kafka timestamp before their send time"
                + " (clocks disagree); counted as 0 ms%n",
            r.runId,
            r.clockSkewed);
      }
    }
    if (report.runs.isEmpty()) {
      out.println("  no events of the simulator found");
    }
    AuditReport.Records rec = report.records;
    out.printf(
        Locale.ROOT,
        "%n  %,d records read; %,d without a simulator stamp, %,d of other" + " runs%n",
        rec.read,
        rec.unstamped,
        rec.otherRuns);
    if (report.failed()) {
      out.println("  FAILED: " + String.join("; ", report.failures));
    } else {
      out.println("  OK: no acknowledged event lost");
    }
    out.flush();
  }

  private static String count(Long n) {
    return n == null ? "-" : String.format(Locale.ROOT, "%,d", n);
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
