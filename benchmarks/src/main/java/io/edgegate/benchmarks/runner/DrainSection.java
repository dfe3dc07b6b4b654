package io.edgegate.benchmarks.runner;

import static io.edgegate.benchmarks.runner.Markdown.num;
import static io.edgegate.benchmarks.runner.Markdown.num1;
import static io.edgegate.benchmarks.runner.Markdown.ratio;

/**
 * The forward stage alone: the backlog a gateway journaled while Kafka was away, drained when it
 * came back, against the raw producer replaying the same records.
 */
final class DrainSection {
  private DrainSection() {}

  static void write(Bench b, Markdown md) {
    Results r = b.results;
    int c = b.plan.maxClients();
    double backlog = r.value(Drain.DRAIN, Results.EDGEGATE, "sync batch", 1, c, "backlog");
    double drained = r.value(Drain.DRAIN, Results.EDGEGATE, "sync batch", 1, c, "drained");
    double rate = r.value(Drain.DRAIN, Results.EDGEGATE, "sync batch", 1, c, "throughput");
    double raw = r.value(References.KAFKA, Results.RAW, References.REPLAY, 1, c, "throughput");
    double rawCpu =
        r.value(References.KAFKA, Results.RAW, References.REPLAY, 1, c, "cpu-per-million");
    double distinct =
        r.value(References.KAFKA, Results.RAW, References.REPLAY, 1, c, "distinct-records");
    md.line("| figure | value |");
    md.line("|---|---|");
    md.line("| backlog journaled while Kafka was away | %s events |".formatted(num(backlog)));
    md.line("| forwarded after Kafka came back | %s events |".formatted(num(drained)));
    md.line("| EdgeGate drain rate | %s events/s |".formatted(num(rate)));
    md.line(
        "| raw producer replaying %s of those records | %s records/s at %s CPU s/M |"
            .formatted(num(distinct), num(raw), num1(rawCpu)));
    md.line("| EdgeGate ÷ raw producer | %s |".formatted(ratio(rate, raw)));
  }
}
