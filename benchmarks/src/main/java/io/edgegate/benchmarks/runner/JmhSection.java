package io.edgegate.benchmarks.runner;

import static io.edgegate.benchmarks.runner.Markdown.num;
import static io.edgegate.benchmarks.runner.Markdown.num1;

import java.util.List;

/** The JMH micro-benchmarks' scores and allocation per operation, if a results file was given. */
final class JmhSection {
  private JmhSection() {}

  static void write(Bench b, Markdown md) {
    Results r = b.results;
    List<Results.Row> rows =
        r.rows().stream()
            .filter(x -> x.scenario().equals(Jmh.JMH) && x.metric().equals("score"))
            .toList();
    if (rows.isEmpty()) {
      md.line(
          "JMH: no results file in this run (`benchmarks/run-micro -prof gc -rf json`, then"
              + " `benchmarks/run --jmh jmh-result.json`).");
      return;
    }
    md.line("| JMH benchmark | score | allocated B/op |");
    md.line("|---|---|---|");
    for (Results.Row x : rows) {
      md.line(
          "| `%s` | %s %s | %s |"
              .formatted(
                  x.config(),
                  num1(x.value()),
                  x.unit(),
                  num(r.value(Jmh.JMH, "jmh", x.config(), 0, 0, "alloc-per-op"))));
    }
  }
}
