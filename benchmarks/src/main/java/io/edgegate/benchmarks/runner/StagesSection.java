package io.edgegate.benchmarks.runner;

import static io.edgegate.benchmarks.runner.Markdown.num;
import static io.edgegate.benchmarks.runner.Markdown.num2;
import static io.edgegate.benchmarks.runner.Markdown.pct;

/**
 * CPU and allocation per stage of the gateway (threads grouped by name) from the flight recording
 * of one extra load, and what no Java thread accounts for.
 */
final class StagesSection {
  private StagesSection() {}

  static void write(Bench b, Markdown md) {
    Results r = b.results;
    int c = b.plan.maxClients();
    double forwarded = r.value(Stages.STAGES, Results.EDGEGATE, "sync batch", 1, c, "forwarded");
    double process = r.value(Stages.STAGES, Results.EDGEGATE, "sync batch", 1, c, "process-cpu");
    if (Double.isNaN(forwarded)) {
      md.line("Not measured.");
      return;
    }
    md.line("| stage (threads) | CPU s | share | CPU µs per event | allocated B per event |");
    md.line("|---|---|---|---|---|");
    double sum = 0;
    for (Results.Row x : r.rows()) {
      if (x.scenario().equals(Stages.STAGES) && x.metric().equals("cpu")) {
        double alloc = r.value(Stages.STAGES, Results.EDGEGATE, x.config(), 1, c, "allocated");
        sum += x.value();
        md.line(
            "| %s | %s | %s | %s | %s |"
                .formatted(
                    x.config(),
                    num2(x.value()),
                    pct(x.value() / process),
                    num2(x.value() / forwarded * 1e6),
                    num(alloc / forwarded)));
      }
    }
    md.line(
        "| not attributed to a Java thread (GC, VM threads) | %s | %s | %s | — |"
            .formatted(
                num2(process - sum),
                pct((process - sum) / process),
                num2((process - sum) / forwarded * 1e6)));
    md.line("");
    md.line(
        ("One extra QoS 1 load with %d clients on the warm sync-batch gateway, recorded by JFR:"
                + " %s events forwarded, %s CPU s of the process (from /proc). Allocation per"
                + " forwarded event, all threads: **%s B**.")
            .formatted(
                c,
                num(forwarded),
                num2(process),
                num(
                    r.value(
                        Stages.STAGES,
                        Results.EDGEGATE,
                        "sync batch",
                        1,
                        c,
                        "allocated-per-event"))));
  }
}
