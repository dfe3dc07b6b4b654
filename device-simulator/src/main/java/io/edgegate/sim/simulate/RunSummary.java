package io.edgegate.sim.simulate;

import io.edgegate.sim.record.RunRecord;
import io.edgegate.sim.scenario.Scenario;
import io.edgegate.sim.scenario.Values;
import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The summary printed at the end of a run. */
final class RunSummary {
  private static final int MAX_BURSTS_LISTED = 10;

  private final PrintStream out;
  private final Scenario scenario;
  private final SimulationResult result;
  private final Histogram ackLatency;
  private final long burstsNotKept;

  RunSummary(
      PrintStream out,
      Scenario scenario,
      SimulationResult result,
      Histogram ackLatency,
      long burstsNotKept) {
    this.out = out;
    this.scenario = scenario;
    this.result = result;
    this.ackLatency = ackLatency;
    this.burstsNotKept = burstsNotKept;
  }

  void print() {
    RunRecord r = result.record();
    RunRecord.Totals t = r.totals;
    out.printf(Locale.ROOT, "%nRun %s: %s after %.1f s%n", r.runId, r.stopReason, result.seconds());
    row(
        "devices",
        String.format(
            Locale.ROOT,
            "%s (%s connected at the end; %s connections, %s failed attempts, %s dropped, %s churned)",
            Numbers.count(r.devices),
            Numbers.count(result.connectedAtEnd()),
            Numbers.count(t.connects),
            Numbers.count(t.connectFailures),
            Numbers.count(t.drops),
            Numbers.count(t.churned)));
    row("sent", Numbers.count(t.sent) + " (" + Numbers.rate(result.rate()) + ")");
    if (r.qos == 0) {
      row("written", Numbers.count(t.written) + " (QoS 0: no acknowledgement)");
    } else {
      row("acknowledged", Numbers.count(t.acknowledged));
    }
    row("failed", Numbers.count(t.failed));
    if (t.late > 0) {
      row(
          "no outcome",
          Numbers.count(t.late)
              + " (still in flight after drainTimeout "
              + Values.format(scenario.drainTimeout)
              + "; not counted as acknowledged)");
    }
    if (ackLatency.getTotalCount() > 0) {
      row(
          "ack latency",
          String.format(
              Locale.ROOT,
              "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s",
              Numbers.micros(ackLatency.getValueAtPercentile(50)),
              Numbers.micros(ackLatency.getValueAtPercentile(90)),
              Numbers.micros(ackLatency.getValueAtPercentile(99)),
              Numbers.micros(ackLatency.getValueAtPercentile(99.9)),
              Numbers.micros(ackLatency.getMaxValue())));
    }
    int listed = 0;
    for (SimulationResult.BurstReport b : result.bursts()) {
      if (listed++ == MAX_BURSTS_LISTED) {
        row("", (result.bursts().size() - MAX_BURSTS_LISTED + burstsNotKept) + " more bursts");
        break;
      }
      row(
          "burst " + b.burst() + (b.occurrence() > 0 ? "." + (b.occurrence() + 1) : ""),
          String.format(
              Locale.ROOT,
              "x%s from %.1f s: target %s, achieved %s (%s sent)",
              Values.formatRate(b.factor()),
              b.startSeconds(),
              Numbers.rate(b.targetRate()),
              Numbers.rate(b.achievedRate()),
              Numbers.count(b.sent())));
    }
    row("record", result.directory().dir() + " (run.json, acks.tsv)");
    out.flush();
  }

  private void row(String label, String value) {
    out.printf(Locale.ROOT, "  %-13s %s%n", label, value);
  }
}
