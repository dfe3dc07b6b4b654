package io.edgegate.benchmarks.runner;

import static io.edgegate.benchmarks.runner.Markdown.num;
import static io.edgegate.benchmarks.runner.Markdown.num1;
import static io.edgegate.benchmarks.runner.Markdown.ratio;

import java.util.Optional;

/**
 * The console scenario: throughput and CPU per event with the web console closed and open, and
 * their ratio; or why it was not measured. Nothing (not even its heading) for a run without it.
 */
final class ConsoleSection {
  private ConsoleSection() {}

  static void write(Bench b, Markdown md) {
    Results r = b.results;
    String note = r.notMeasured.get(Console.CONSOLE);
    Optional<String> profile =
        r.find(
                row ->
                    row.scenario().equals(Console.CONSOLE) && row.config().endsWith(Console.CLOSED))
            .map(
                row ->
                    row.config().substring(0, row.config().length() - Console.CLOSED.length() - 2));
    if (note == null && profile.isEmpty()) {
      return;
    }
    md.heading("Web console open: its cost on the hot path");
    if (profile.isEmpty()) {
      md.line(note);
      md.line("");
      return;
    }
    String closed = Console.config(profile.get(), false);
    String open = Console.config(profile.get(), true);
    md.line(
        ("One gateway (%s profile), warmed up, then the same load twice in a row — QoS 1, %d"
                + " clients, full speed, %d s: with the console closed, then open (one client"
                + " holding `GET %s` and polling `GET %s` every second, as the page does).")
            .formatted(
                profile.get(),
                Console.CLIENTS,
                b.plan.load().toSeconds(),
                ConsoleViewer.STREAM,
                ConsoleViewer.OVERVIEW));
    md.line("");
    md.line("| console | events/s into Kafka | CPU s/M |");
    md.line("|---|---|---|");
    double closedRate = value(r, closed, "throughput");
    double closedCpu = value(r, closed, "cpu-per-million");
    double openRate = value(r, open, "throughput");
    double openCpu = value(r, open, "cpu-per-million");
    md.line("| closed | %s | %s |".formatted(num(closedRate), num1(closedCpu)));
    md.line("| open | %s | %s |".formatted(num(openRate), num1(openCpu)));
    md.line(
        "| open ÷ closed | %s | %s |"
            .formatted(ratio(openRate, closedRate), ratio(openCpu, closedCpu)));
    md.line("");
    md.line(
        "While open: %s stream events, %s overview polls answered (%s not)."
            .formatted(
                num(value(r, open, "stream-events")),
                num(value(r, open, "overview-polls")),
                num(value(r, open, "overview-polls-failed"))));
    if (note != null) {
      md.line("");
      md.line("- **" + Console.CONSOLE + "**: " + note);
    }
    md.line("");
  }

  private static double value(Results r, String config, String metric) {
    return r.value(Console.CONSOLE, Results.EDGEGATE, config, 1, Console.CLIENTS, metric);
  }
}
