package io.edgegate.benchmarks.runner;

import static io.edgegate.benchmarks.runner.Markdown.num;
import static io.edgegate.benchmarks.runner.Markdown.num1;
import static io.edgegate.benchmarks.runner.Markdown.num2;
import static io.edgegate.benchmarks.runner.Markdown.ratio;

import java.util.List;

/**
 * The first seconds of a gateway: its warm-up before the measured loads, and a restart under load
 * (cold start), each against the warm CPU per event.
 */
final class WarmUpSection {
  private WarmUpSection() {}

  static void write(Bench b, Markdown md) {
    warmUp(b, md);
    md.line("");
    coldStart(b, md);
  }

  private static void warmUp(Bench b, Markdown md) {
    Results r = b.results;
    md.line(
        "| configuration | warm-up | stable | first s | first 10 s: events/s | CPU s/M | warm:"
            + " events/s | CPU s/M | first ÷ warm CPU |");
    md.line("|---|---|---|---|---|---|---|---|---|");
    int c = b.plan.maxClients();
    for (String config : configs(r, WarmUp.WARMUP)) {
      double first =
          r.value(WarmUp.WARMUP, Results.EDGEGATE, config, 1, c, "first-cpu-per-million");
      double warm = r.value(WarmUp.WARMUP, Results.EDGEGATE, config, 1, c, "warm-cpu-per-million");
      md.line(
          "| %s | %s s, %s windows | %s | %s | %s | %s | %s | %s | %s |"
              .formatted(
                  config,
                  num(r.value(WarmUp.WARMUP, Results.EDGEGATE, config, 1, c, "seconds")),
                  num(r.value(WarmUp.WARMUP, Results.EDGEGATE, config, 1, c, "windows")),
                  r.value(WarmUp.WARMUP, Results.EDGEGATE, config, 1, c, "stable") == 1
                      ? "yes"
                      : "no (bound reached)",
                  num(r.value(WarmUp.WARMUP, Results.EDGEGATE, config, 1, c, "first-seconds")),
                  num(r.value(WarmUp.WARMUP, Results.EDGEGATE, config, 1, c, "first-rate")),
                  num1(first),
                  num(r.value(WarmUp.WARMUP, Results.EDGEGATE, config, 1, c, "warm-rate")),
                  num1(warm),
                  ratio(first, warm)));
    }
    md.line("");
    md.line(
        ("QoS 1 at full speed with %d clients, from the moment the gateway was ready; each"
                + " configuration's measured loads follow its warm-up. Per-window figures are in"
                + " `results.csv` (scenario `warmup`).")
            .formatted(c));
  }

  private static void coldStart(Bench b, Markdown md) {
    Results r = b.results;
    int c = b.plan.maxClients();
    double warm =
        r.value(WarmUp.WARMUP, Results.EDGEGATE, "sync batch", 1, c, "warm-cpu-per-million");
    md.line(
        ("| restart under load (QoS 1, %d clients at once) | start to ready | CPU s to ready |"
                + " first window: events/s | CPU s/M | next window: events/s | CPU s/M | first ÷"
                + " warm (default, sync batch) |")
            .formatted(c));
    md.line("|---|---|---|---|---|---|---|---|");
    for (String config : configs(r, ColdStart.COLD)) {
      double first =
          r.value(ColdStart.COLD, Results.EDGEGATE, config, 1, c, "first-cpu-per-million");
      md.line(
          "| %s | %s s | %s | %s | %s | %s | %s | %s |"
              .formatted(
                  config,
                  num2(r.value(ColdStart.COLD, Results.EDGEGATE, config, 1, c, "start-to-ready")),
                  num1(r.value(ColdStart.COLD, Results.EDGEGATE, config, 1, c, "start-cpu")),
                  num(r.value(ColdStart.COLD, Results.EDGEGATE, config, 1, c, "first-rate")),
                  num1(first),
                  num(r.value(ColdStart.COLD, Results.EDGEGATE, config, 1, c, "next-rate")),
                  num1(
                      r.value(
                          ColdStart.COLD, Results.EDGEGATE, config, 1, c, "next-cpu-per-million")),
                  ratio(first, warm)));
    }
    md.line("");
    md.line(
        ("Windows of %d s each from the moment the gateway was ready (a power cut: the devices"
                + " were waiting). CDS off = `EDGEGATE_CDS=off` for the launcher; the Raspberry Pi"
                + " profile runs C1 only with SerialGC (its configuration's `JAVA_OPTS`).")
            .formatted(b.plan.coldLoad().toSeconds()));
  }

  /** Configurations of a scenario's EdgeGate rows, in measurement order. */
  private static List<String> configs(Results r, String scenario) {
    return r.rows().stream()
        .filter(x -> x.scenario().equals(scenario) && x.system().equals(Results.EDGEGATE))
        .map(Results.Row::config)
        .distinct()
        .toList();
  }
}
