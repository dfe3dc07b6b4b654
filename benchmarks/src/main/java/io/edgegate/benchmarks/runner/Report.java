package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code REPORT.md}: the targets with their measured ratios, the ratio table (EdgeGate ÷ Mosquitto,
 * EdgeGate ÷ raw producer), absolute figures labelled with the machine, and the charts. Each
 * section is a class of its own; this one puts them in order under their headings (the sections of
 * optional scenarios write their own heading, and nothing for a run without them).
 */
final class Report {
  private Report() {}

  static void write(
      Bench b, Path file, Map<String, Object> machine, List<String> charts, String command)
      throws IOException {
    Markdown md = new Markdown();
    HeaderSection.write(b, machine, command, md);
    md.heading("Targets");
    TargetsSection.write(b, md);
    md.line("");
    md.heading("Throughput: EdgeGate ÷ Mosquitto, EdgeGate ÷ raw Kafka producer");
    RatiosSection.write(b, md);
    md.line("");
    chart(md, charts, Charts.THROUGHPUT, "throughput");
    md.heading("Latency publish → Kafka at 50 % of the maximum QoS 1 rate");
    LatencySection.write(b, md);
    md.line("");
    chart(md, charts, Charts.LATENCY, "latency");
    NeighbourSection.write(b, md);
    md.heading("Warm-up and the first seconds after a start");
    WarmUpSection.write(b, md);
    md.line("");
    md.heading("CPU and allocation by stage");
    StagesSection.write(b, md);
    md.line("");
    JmhSection.write(b, md);
    md.line("");
    ConsoleSection.write(b, md);
    md.heading("Forward stage alone: backlog drain");
    DrainSection.write(b, md);
    md.line("");
    md.heading("Memory vs connected devices");
    ScaleSection.write(b, md);
    md.line("");
    chart(md, charts, Charts.MEMORY, "memory");
    md.heading("Kafka outage, start-up, footprint");
    OutageStartUpFootprintSection.write(b, md);
    md.line("");
    md.heading("How it was measured");
    MethodSection.write(b, md);
    Files.writeString(file, md.text());
  }

  /** The ratio table alone (for docs/performance.md). */
  static String ratioTable(Bench b) {
    Markdown md = new Markdown();
    RatiosSection.write(b, md);
    return md.text();
  }

  /** A chart the run drew, and the blank line after it; nothing for one it could not draw. */
  private static void chart(Markdown md, List<String> charts, String file, String alt) {
    if (charts.contains(file)) {
      md.line("![" + alt + "](" + file + ")");
      md.line("");
    }
  }
}
