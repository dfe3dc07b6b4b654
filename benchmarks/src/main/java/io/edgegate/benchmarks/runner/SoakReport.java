package io.edgegate.benchmarks.runner;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The soak's {@code REPORT.md} and charts, from its 10 s samples. */
final class SoakReport {
  static final String MEMORY = "soak-memory.png";
  static final String RESOURCES = "soak-resources.png";
  static final String BACKLOG = "soak-backlog.png";
  static final String LATENCY = "soak-latency.png";

  /** Flat: the end level within this share of the baseline level. */
  static final double FLAT = 0.10;

  private SoakReport() {}

  /** A figure's level in the baseline window and at the end, and its trend after the warm-up. */
  record Trend(double baseline, double end, double max, double slopePerHour) {
    double change() {
      return end / baseline - 1;
    }

    boolean flat() {
      return Math.abs(change()) <= FLAT;
    }
  }

  /**
   * Baseline = mean over the window after the warm-up; end = mean over a window as long at the end;
   * slope = least squares over everything after the warm-up, per hour.
   */
  static Trend trend(List<double[]> samples, int column, Soak.Timing t) {
    double warm = t.warmUp().toMillis() / 1000.0;
    double base = t.baseline().toMillis() / 1000.0;
    double last = samples.isEmpty() ? 0 : samples.get(samples.size() - 1)[0];
    double b = mean(samples, column, warm, warm + base);
    double e = mean(samples, column, last - base, last + 1);
    double max = Double.NaN;
    double n = 0;
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (double[] s : samples) {
      if (s[0] >= warm && !Double.isNaN(s[column])) {
        max = Double.isNaN(max) ? s[column] : Math.max(max, s[column]);
        n++;
        sx += s[0];
        sy += s[column];
        sxx += s[0] * s[0];
        sxy += s[0] * s[column];
      }
    }
    double slope = n < 2 ? Double.NaN : (n * sxy - sx * sy) / (n * sxx - sx * sx) * 3600;
    return new Trend(b, e, max, slope);
  }

  private static double mean(List<double[]> samples, int column, double from, double to) {
    double sum = 0;
    int n = 0;
    for (double[] s : samples) {
      if (s[0] >= from && s[0] < to && !Double.isNaN(s[column])) {
        sum += s[column];
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  static List<String> charts(Path dir, List<double[]> samples, Soak.Timing t) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<String> written = new ArrayList<>();
    String away =
        " — Kafka away %d–%d s"
            .formatted(t.outageStart().toSeconds(), t.outageStart().plus(t.outage()).toSeconds());
    chart(
        dir,
        MEMORY,
        "Memory" + away,
        "MiB",
        samples,
        Map.of(1, "heap after GC", 2, "RSS", 11, "anonymous RSS"),
        written);
    chart(
        dir,
        RESOURCES,
        "Open files and threads" + away,
        "count",
        samples,
        Map.of(3, "open file descriptors", 4, "threads"),
        written);
    chart(
        dir,
        BACKLOG,
        "Backlog (events) and journal disk use (MiB)" + away,
        "",
        samples,
        Map.of(6, "backlog, events", 5, "journal on disk, MiB"),
        written);
    chart(
        dir,
        LATENCY,
        "Publish → broker append (each 10 s)" + away,
        "ms",
        samples,
        Map.of(8, "p50", 9, "p99"),
        written);
    return written;
  }

  private static void chart(
      Path dir,
      String file,
      String title,
      String unit,
      List<double[]> samples,
      Map<Integer, String> series,
      List<String> written)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(1200)
            .height(420)
            .title(title)
            .xAxisTitle("seconds")
            .yAxisTitle(unit)
            .build();
    Styler s = chart.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.InsideNW);
    boolean any = false;
    for (Map.Entry<Integer, String> e : new java.util.TreeMap<>(series).entrySet()) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (double[] row : samples) {
        if (!Double.isNaN(row[e.getKey()]) && row[e.getKey()] >= 0) {
          x.add(row[0]);
          y.add(row[e.getKey()]);
        }
      }
      if (!x.isEmpty()) {
        chart
            .addSeries(e.getValue(), x, y)
            .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        any = true;
      }
    }
    if (any) {
      BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
      written.add(file);
    }
  }

  static void write(
      Path file,
      Bench b,
      Map<String, Object> machine,
      int minutes,
      Soak.Timing t,
      double maxRate,
      double rate,
      SimChild.Result run,
      SimChild.Audit audit,
      List<double[]> samples,
      List<String> charts)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# EdgeGate soak — ").append(machine.get("date")).append("\n\n");
    md.append("Command: `benchmarks/run --soak ").append(minutes).append("`\n\n");
    md.append(
        "Machine: **%s**, %s cores, %s, JDK %s, %s; load average before %s.\n\n"
            .formatted(
                machine.get("host"),
                machine.get("cores"),
                machine.get("os"),
                machine.get("jdk"),
                machine.get("memory"),
                machine.get("loadBefore")));
    md.append(
        String.format(
            Locale.ROOT,
            "%,d devices (QoS 1, %d-byte payloads) at %,.0f events/s = half the QoS 1 maximum of"
                + " %,.0f events/s measured just before; every 10 s 5 %% of the devices disconnect"
                + " and reconnect 1 s later; Kafka stopped for %d s from %d s. One gateway, profile"
                + " %s, `journal.sync: batch`. Warm-up %d s; baseline = mean of the %d s after it;"
                + " end = mean of the last %d s; **flat** = end within ±%.0f %% of the baseline.%n%n",
            Soak.DEVICES,
            Bench.PAYLOAD,
            rate,
            maxRate,
            t.outage().toSeconds(),
            t.outageStart().toSeconds(),
            b.profiles.get(0).name() + " (" + b.profiles.get(0).describe() + ")",
            t.warmUp().toSeconds(),
            t.baseline().toSeconds(),
            t.baseline().toSeconds(),
            FLAT * 100));
    md.append("## Verdict\n\n");
    md.append("| figure | baseline | end | change | max after warm-up | slope per hour | flat |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    String[][] figures = {
      {"1", "heap after GC, MiB"},
      {"11", "anonymous RSS (without the journal's mapped pages), MiB"},
      {"2", "RSS, MiB"},
      {"3", "open files"}
    };
    for (String[] f : figures) {
      Trend tr = trend(samples, Integer.parseInt(f[0]), t);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %+.1f %% | %.1f | %+.1f | %s |%n",
              f[1],
              tr.baseline(),
              tr.end(),
              tr.change() * 100,
              tr.max(),
              tr.slopePerHour(),
              tr.flat() ? "yes" : "**no**"));
    }
    md.append('\n');
    md.append(
        String.format(
            Locale.ROOT,
            "Audit (every event read back from Kafka): %,d acknowledged by the gateway, %,d"
                + " received, **%,d lost, %,d duplicated**; %,d publishes failed on disconnects"
                + " (never acknowledged: not owed). Latency publish → broker append over the whole"
                + " run: p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms.%n%n",
            run.acknowledged(),
            audit.received(),
            audit.lost(),
            audit.duplicates(),
            run.failed(),
            audit.p50(),
            audit.p99(),
            audit.p999()));
    md.append("## Charts\n\n");
    for (String c : charts) {
      md.append("![").append(c.replace(".png", "")).append("](").append(c).append(")\n\n");
    }
    md.append("## How it was measured\n\n");
    md.append(
        """
        - Every 10 s: heap used after a full GC (`jcmd GC.run`, `GC.heap_info`), `VmRSS`, \
        `RssAnon` and `Threads` of `/proc/<pid>/status` (VmRSS includes the journal's mapped \
        chunks, file pages the kernel reclaims; RssAnon is the process's own memory), entries of `/proc/<pid>/fd`, `du` of the journal \
        directory, `edgegate_backlog_events`, the forwarded rate, and publish → broker append of \
        the records that arrived in those 10 s (a consumer in the runner; the topic has \
        `message.timestamp.type=LogAppendTime`, the publish time is the simulator's payload stamp).
        - The samples: `soak.csv`. The audit: `edgegate-sim audit` of the run.
        """);
    Files.writeString(file, md);
  }
}
