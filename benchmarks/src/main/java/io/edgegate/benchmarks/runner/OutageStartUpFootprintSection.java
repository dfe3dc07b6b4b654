package io.edgegate.benchmarks.runner;

import static io.edgegate.benchmarks.runner.Markdown.num2;

/** The Kafka outage, start-up and footprint scenarios' rows, listed as they were measured. */
final class OutageStartUpFootprintSection {
  private OutageStartUpFootprintSection() {}

  static void write(Bench b, Markdown md) {
    Results r = b.results;
    md.line("| figure | value |");
    md.line("|---|---|");
    for (Results.Row row : r.rows()) {
      boolean wanted =
          row.scenario().equals(OutageDrain.OUTAGE)
              || row.scenario().equals(StartUp.STARTUP)
              || row.scenario().equals(EndToEnd.FOOTPRINT);
      if (wanted) {
        md.line(
            "| %s %s %s %s | %s %s |"
                .formatted(
                    row.scenario(),
                    row.system(),
                    row.config(),
                    row.metric(),
                    num2(row.value()),
                    row.unit()));
      }
    }
  }
}
