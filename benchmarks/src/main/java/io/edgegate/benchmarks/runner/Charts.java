package io.edgegate.benchmarks.runner;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The run's PNG charts, drawn with XChart from the results. */
final class Charts {
  static final String THROUGHPUT = "throughput.png";
  static final String LATENCY = "latency.png";
  static final String MEMORY = "memory.png";

  private Charts() {}

  /** Writes the charts there is data for; returns their file names. */
  static List<String> write(Bench b, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<String> written = new ArrayList<>();
    if (throughput(b, dir.resolve(THROUGHPUT))) {
      written.add(THROUGHPUT);
    }
    if (latency(b, dir.resolve(LATENCY))) {
      written.add(LATENCY);
    }
    if (memory(b, dir.resolve(MEMORY))) {
      written.add(MEMORY);
    }
    return written;
  }

  /** Events/s per system and configuration (x), one bar per load (QoS, clients). */
  private static boolean throughput(Bench b, Path file) throws IOException {
    Results r = b.results;
    List<String> systems =
        new ArrayList<>(List.of("Mosquitto", "raw producer", "raw producer + headers"));
    List<String> configs = new ArrayList<>();
    for (GatewayChild.Setup s : EndToEnd.setups(b.plan)) {
      systems.add(shortLabel(s));
      configs.add(s.label());
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1200)
            .height(520)
            .title(
                "Throughput, " + Bench.PAYLOAD + "-byte events (EdgeGate: acknowledged by Kafka)")
            .xAxisTitle("")
            .yAxisTitle("events/s")
            .build();
    style(chart.getStyler());
    chart.getStyler().setXAxisLabelRotation(15);
    chart.getStyler().setYAxisDecimalPattern("#,###");
    boolean any = false;
    for (int qos : List.of(1, 0)) {
      for (int clients : b.plan.clients()) {
        List<Double> y = new ArrayList<>();
        y.add(zero(r.value(References.BROKER, Results.MOSQUITTO, "", qos, clients, "throughput")));
        y.add(
            qos == 1
                ? zero(r.value(References.KAFKA, Results.RAW, "", 1, clients, "throughput"))
                : 0);
        y.add(
            qos == 1
                ? zero(
                    r.value(
                        References.KAFKA,
                        Results.RAW,
                        References.WITH_HEADERS,
                        1,
                        clients,
                        "throughput"))
                : 0);
        for (String c : configs) {
          y.add(zero(r.value(EndToEnd.E2E, Results.EDGEGATE, c, qos, clients, "throughput")));
        }
        any |= y.stream().anyMatch(v -> v > 0);
        chart.addSeries("QoS " + qos + ", " + clients + " clients", systems, y);
      }
    }
    if (any) {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
    return any;
  }

  /** Publish → Kafka percentiles at half the maximum rate; the raw producer's send → ack. */
  private static boolean latency(Bench b, Path file) throws IOException {
    Results r = b.results;
    int clients = b.plan.maxClients();
    List<String> systems = new ArrayList<>();
    List<String> configs = new ArrayList<>();
    systems.add("raw producer");
    configs.add("");
    for (GatewayChild.Setup s : EndToEnd.setups(b.plan)) {
      systems.add(shortLabel(s));
      configs.add(s.label());
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1200)
            .height(520)
            .title("Latency at 50 % of the maximum QoS 1 rate (" + clients + " clients)")
            .xAxisTitle("")
            .yAxisTitle("ms")
            .build();
    style(chart.getStyler());
    boolean any = false;
    for (String p : List.of("p50", "p99", "p99.9")) {
      List<Double> y = new ArrayList<>();
      for (int i = 0; i < systems.size(); i++) {
        String system = i == 0 ? Results.RAW : Results.EDGEGATE;
        y.add(zero(r.value(EndToEnd.LATENCY, system, configs.get(i), 1, clients, p)));
      }
      any |= y.stream().anyMatch(v -> v > 0);
      chart.addSeries(p, systems, y);
    }
    if (any) {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
    return any;
  }

  /** Resident memory and heap against connected devices (0 = the idle process). */
  private static boolean memory(Bench b, Path file) throws IOException {
    Results r = b.results;
    XYChart chart =
        new XYChartBuilder()
            .width(1200)
            .height(520)
            .title("Memory vs connected devices (mostly idle; a few active)")
            .xAxisTitle("connected devices")
            .yAxisTitle("MiB")
            .build();
    style(chart.getStyler());
    boolean any = false;
    for (String p : List.of(Profile.DEFAULT, Profile.RASPBERRY_PI)) {
      String n = p.equals(Profile.DEFAULT) ? "EdgeGate" : "EdgeGate (" + p + ")";
      any |= memorySeries(chart, b, Results.EDGEGATE, p, "rss", n + " RSS");
      memorySeries(chart, b, Results.EDGEGATE, p, "rss-anonymous", n + " RSS without mapped files");
      any |= memorySeries(chart, b, Results.EDGEGATE, p, "heap-after-gc", n + " heap after GC");
    }
    memorySeries(chart, b, Results.MOSQUITTO, "", "rss", "Mosquitto RSS");
    if (any) {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
    return any;
  }

  private static boolean memorySeries(
      XYChart chart, Bench b, String system, String config, String metric, String name) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    String idle =
        metric.equals("rss") ? "rss-idle" : metric.equals("heap-after-gc") ? "heap-idle" : "";
    for (int devices : b.plan.scaleDevices()) {
      double v = b.results.value(Scale.SCALE, system, config, 1, devices, metric);
      double v0 = b.results.value(Scale.SCALE, system, config, 1, devices, idle);
      if (!Double.isNaN(v)) {
        if (x.isEmpty() && !Double.isNaN(v0)) {
          x.add(0.0);
          y.add(v0);
        }
        x.add((double) devices);
        y.add(v);
      }
    }
    if (x.isEmpty()) {
      return false;
    }
    chart.addSeries(name, x, y);
    return true;
  }

  /** A category label short enough for the x axis. */
  private static String shortLabel(GatewayChild.Setup s) {
    return "exactly-once".equals(s.delivery()) ? "EdgeGate exactly-once" : "EdgeGate " + s.label();
  }

  private static void style(Styler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.InsideNW);
    s.setLegendBackgroundColor(new Color(255, 255, 255, 200));
  }

  private static double zero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
