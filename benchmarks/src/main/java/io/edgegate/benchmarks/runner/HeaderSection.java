package io.edgegate.benchmarks.runner;

import java.util.Map;

/**
 * The report's opening: the run's date and command, the machine, why ratios are what count, and the
 * scenarios that could not run.
 */
final class HeaderSection {
  private HeaderSection() {}

  static void write(Bench b, Map<String, Object> machine, String command, Markdown md) {
    Results r = b.results;
    md.line("# EdgeGate benchmarks — " + machine.get("date"));
    md.line("");
    md.line(
        "Command: `"
            + command
            + "`"
            + (b.quick ? " (quick mode: short loads, one configuration)" : ""));
    md.line("");
    md.line(
        "Machine: **%s**, %s cores, %s, JDK %s, %s; load average before %s, after %s."
            .formatted(
                machine.get("host"),
                machine.get("cores"),
                machine.get("os"),
                machine.get("jdk"),
                machine.get("memory"),
                machine.get("loadBefore"),
                machine.get("loadAfter")));
    md.line("");
    md.line(
        "Everything ran on 127.0.0.1 of this one machine (load generator, broker, gateway, Kafka"
            + " share the cores). Each figure is compared with a reference measured in the same run,"
            + " under the same load generator (`edgegate-sim`), the same "
            + Bench.PAYLOAD
            + "-byte payload and the same number of clients: **ratios** are what count; absolute"
            + " numbers depend on the machine and its other load.");
    md.line("");
    for (Map.Entry<String, String> e : r.notMeasured.entrySet()) {
      md.line("- **" + e.getKey() + "**: " + e.getValue());
    }
    if (!r.notMeasured.isEmpty()) {
      md.line("");
    }
  }
}
