package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code REPORT.md}: the targets with their measured ratios, the ratio table (EdgeGate ÷ Mosquitto,
 * EdgeGate ÷ raw producer), absolute figures labelled with the machine, and the charts.
 */
final class Report {
  private final Bench b;
  private final Results r;
  private final StringBuilder md = new StringBuilder();

  private Report(Bench b) {
    this.b = b;
    this.r = b.results;
  }

  static void write(
      Bench b, Path file, Map<String, Object> machine, List<String> charts, String command)
      throws IOException {
    Report report = new Report(b);
    report.build(machine, charts, command);
    Files.writeString(file, report.md);
  }

  /** The ratio table alone (for the README's Performance section). */
  static String ratioTable(Bench b) {
    Report report = new Report(b);
    report.ratios();
    return report.md.toString();
  }

  private void build(Map<String, Object> machine, List<String> charts, String command) {
    line("# EdgeGate benchmarks — " + machine.get("date"));
    line("");
    line(
        "Command: `"
            + command
            + "`"
            + (b.quick ? " (quick mode: short loads, one configuration)" : ""));
    line("");
    line(
        "Machine: **%s**, %s cores, %s, JDK %s, %s; load average before %s, after %s."
            .formatted(
                machine.get("host"),
                machine.get("cores"),
                machine.get("os"),
                machine.get("jdk"),
                machine.get("memory"),
                machine.get("loadBefore"),
                machine.get("loadAfter")));
    line("");
    line(
        "Everything ran on 127.0.0.1 of this one machine (load generator, broker, gateway, Kafka"
            + " share the cores). Each figure is compared with a reference measured in the same run,"
            + " under the same load generator (`edgegate-sim`), the same "
            + Bench.PAYLOAD
            + "-byte payload and the same number of clients: **ratios** are what count; absolute"
            + " numbers depend on the machine and its other load.");
    line("");
    for (Map.Entry<String, String> e : r.notMeasured.entrySet()) {
      line("- **" + e.getKey() + "**: " + e.getValue());
    }
    if (!r.notMeasured.isEmpty()) {
      line("");
    }
    line("## Targets");
    line("");
    targets();
    line("");
    line("## Throughput: EdgeGate ÷ Mosquitto, EdgeGate ÷ raw Kafka producer");
    line("");
    ratios();
    line("");
    if (charts.contains(Charts.THROUGHPUT)) {
      line("![throughput](" + Charts.THROUGHPUT + ")");
      line("");
    }
    line("## Latency publish → Kafka at 50 % of the maximum QoS 1 rate");
    line("");
    latency();
    line("");
    if (charts.contains(Charts.LATENCY)) {
      line("![latency](" + Charts.LATENCY + ")");
      line("");
    }
    line("## Memory vs connected devices");
    line("");
    scale();
    line("");
    if (charts.contains(Charts.MEMORY)) {
      line("![memory](" + Charts.MEMORY + ")");
      line("");
    }
    line("## Kafka outage, start-up, footprint");
    line("");
    other();
    line("");
    line("## How it was measured");
    line("");
    line(
        """
        - **Load**: `edgegate-sim run` as a child JVM, MQTT 5, fixed %d-byte payloads, each client \
        keeping 64 publishes in flight, rate `max` (throughput) or a fixed total rate (latency, \
        scale, outage). The same command line against Mosquitto and EdgeGate.
        - **Mosquitto**: started by the runner with a generated configuration (listener on \
        127.0.0.1, free port, `persistence false`); QoS 1 throughput = PUBACKs/s, QoS 0 = publishes \
        written/s (no subscriber: the broker's ingest cost).
        - **Raw producer**: a plain `KafkaProducer` (acks=all, idempotence, linger 5 ms, lz4: the \
        gateway's settings) sending %d-byte values keyed by as many device ids, to the same broker \
        process. Its CPU is its own process's over the send window.
        - **EdgeGate**: `edgegate run` as a child JVM (`-Xmx256m`) on its own journal and topic; \
        throughput = `edgegate_events_forwarded_total` (events Kafka acknowledged) over the time it \
        rose; its records carry the CloudEvents headers besides the payload. Latency = the \
        simulator's audit: send time → Kafka record timestamp, every event of the run read back.
        - **CPU** = utime + stime from `/proc/<pid>/stat` of each process over the load; **RSS** \
        from `/proc/<pid>/status`; **heap** = used after a full GC (`jcmd GC.heap_info`).
        - **Scale**: N−%d idle devices (one event a minute each) and %d active devices carrying \
        %.0f events/s, connected at 1,000/s; figures taken once the process holds a socket per \
        device. Per device = (under load − idle process) ÷ N.
        - **Outage**: 10 devices at %.0f events/s, QoS 1; the Kafka broker process stopped for %d s \
        and started again (same data, same port); drain rate = (backlog when Kafka was back + \
        events arriving meanwhile) ÷ time until the backlog is under 0.2 s of ingest.
        - Raw CSV/JSON: `results.csv`, `results.json`; child process output: `logs/`."""
            .formatted(
                Bench.PAYLOAD,
                Bench.PAYLOAD,
                b.plan.scaleActive(),
                b.plan.scaleActive(),
                b.plan.scaleRate(),
                b.plan.outageRate(),
                b.plan.outage().toSeconds()));
  }

  private void targets() {
    line("| target | measured | reference (same run) | ratio | aim | met |");
    line("|---|---|---|---|---|---|");
    String batch = "sync batch";
    for (int qos : List.of(1, 0)) {
      for (int c : b.plan.clients()) {
        double eg = r.value(EndToEnd.E2E, Results.EDGEGATE, batch, qos, c, "throughput");
        double mq = r.value(References.BROKER, Results.MOSQUITTO, "", qos, c, "throughput");
        target(
            "QoS %d end to end, sync batch, %d clients".formatted(qos, c),
            num(eg) + " events/s",
            "Mosquitto QoS " + qos + ": " + num(mq) + " events/s",
            eg / mq,
            "≥ 1.0×",
            eg / mq >= 1.0);
      }
    }
    int maxC = b.plan.maxClients();
    for (GatewayChild.Setup s : EndToEnd.setups(b.plan)) {
      double p99 = r.value(EndToEnd.LATENCY, Results.EDGEGATE, s.label(), 1, maxC, "p99");
      double raw = r.value(EndToEnd.LATENCY, Results.RAW, "", 1, maxC, "p99");
      target(
          "p99 publish → Kafka at 50 % of max, " + s.label(),
          num1(p99) + " ms",
          "raw producer send → ack p99: " + num1(raw) + " ms",
          p99 / raw,
          "≤ 10 ms",
          p99 <= 10);
    }
    double cpu = r.value(EndToEnd.E2E, Results.EDGEGATE, batch, 1, maxC, "cpu-per-million");
    double rawCpu = r.value(References.KAFKA, Results.RAW, "", 1, maxC, "cpu-per-million");
    target(
        "CPU per forwarded event (sync batch, QoS 1, %d clients)".formatted(maxC),
        num1(cpu) + " CPU s per million",
        "raw producer: " + num1(rawCpu) + " CPU s per million records",
        cpu / rawCpu,
        "≤ 1.5×",
        cpu / rawCpu <= 1.5);
    double hdrCpu =
        r.value(References.KAFKA, Results.RAW, References.WITH_HEADERS, 1, maxC, "cpu-per-million");
    target(
        "the same, against a raw producer sending the envelope's 13 headers per record",
        num1(cpu) + " CPU s per million",
        "raw producer with headers: " + num1(hdrCpu) + " CPU s per million records",
        cpu / hdrCpu,
        "(context)",
        cpu / hdrCpu <= 1.5);
    int devices = b.plan.scaleDevices().get(b.plan.scaleDevices().size() - 1);
    double rss = r.value(Scale.SCALE, Results.EDGEGATE, batch, 1, devices, "rss");
    double heap = r.value(Scale.SCALE, Results.EDGEGATE, batch, 1, devices, "heap-after-gc");
    double mqRss = r.value(Scale.SCALE, Results.MOSQUITTO, "", 1, devices, "rss");
    double rate = r.value(Scale.SCALE, Results.EDGEGATE, batch, 1, devices, "ingest");
    double anon = r.value(Scale.SCALE, Results.EDGEGATE, batch, 1, devices, "rss-anonymous");
    target(
        "RSS with %,d devices at %s events/s".formatted(devices, num(rate)),
        num1(rss) + " MiB (without the journal's mapped pages: " + num1(anon) + " MiB)",
        "Mosquitto: " + num1(mqRss) + " MiB",
        rss / mqRss,
        "≤ 150 MB",
        rss * 1048576 <= 150e6);
    target(
        "heap after GC with %,d devices".formatted(devices),
        num1(heap) + " MiB",
        "—",
        Double.NaN,
        "≤ 64 MB",
        heap * 1048576 <= 64e6);
    double ratio = r.value(OutageDrain.OUTAGE, Results.EDGEGATE, batch, 1, 10, "drain-ratio");
    double drain = r.value(OutageDrain.OUTAGE, Results.EDGEGATE, batch, 1, 10, "drain-rate");
    double ingest = r.value(OutageDrain.OUTAGE, Results.EDGEGATE, batch, 1, 10, "ingest");
    target(
        "drain after a %d s Kafka outage".formatted(b.plan.outage().toSeconds()),
        num(drain) + " events/s",
        "ingest " + num(ingest) + " events/s",
        ratio,
        "≥ 2×",
        ratio >= 2);
    double ready = medianEmptyJournalStart();
    double mqReady = r.value("startup", Results.MOSQUITTO, "", 0, 0, "start-to-ready");
    target(
        "start to ready, empty journal (median of the run's gateway starts)",
        num2(ready) + " s",
        "Mosquitto start to listening: " + num2(mqReady) + " s",
        ready / mqReady,
        "≤ 1.5 s",
        ready <= 1.5);
    String journal = "journal of " + b.plan.journalEvents() + " events";
    double readyJ = r.value(StartUp.STARTUP, Results.EDGEGATE, journal, 0, 0, "start-to-ready");
    target(
        "start to ready, %,d events in the journal".formatted(b.plan.journalEvents()),
        num2(readyJ) + " s",
        "empty journal: " + num2(ready) + " s",
        readyJ / ready,
        "≤ 1.5 s",
        readyJ <= 1.5);
  }

  /** Every gateway the run started on an empty journal: the median of their start-to-ready. */
  private double medianEmptyJournalStart() {
    double[] v =
        r.rows().stream()
            .filter(
                x ->
                    x.scenario().equals("startup")
                        && x.system().equals(Results.EDGEGATE)
                        && x.metric().equals("start-to-ready")
                        && !x.config().startsWith("journal of"))
            .mapToDouble(Results.Row::value)
            .sorted()
            .toArray();
    return v.length == 0 ? Double.NaN : v[v.length / 2];
  }

  private void target(
      String what, String measured, String reference, double ratio, String aim, boolean met) {
    boolean unknown = measured.startsWith("n/m");
    line(
        "| %s | %s | %s | %s | %s | %s |"
            .formatted(
                what,
                measured,
                reference,
                Double.isNaN(ratio) || Double.isInfinite(ratio) ? "—" : num2(ratio) + "×",
                aim,
                unknown ? "not measured" : met ? "yes" : "**no**"));
  }

  private void ratios() {
    line(
        "| configuration | QoS | clients | EdgeGate events/s | Mosquitto events/s | ÷ Mosquitto |"
            + " raw producer records/s | ÷ raw | EdgeGate CPU s/M | ÷ Mosquitto CPU | ÷ raw CPU |");
    line("|---|---|---|---|---|---|---|---|---|---|---|");
    int maxC = b.plan.maxClients();
    double raw = r.value(References.KAFKA, Results.RAW, "", 1, maxC, "throughput");
    double rawCpu = r.value(References.KAFKA, Results.RAW, "", 1, maxC, "cpu-per-million");
    for (GatewayChild.Setup s : EndToEnd.setups(b.plan)) {
      for (int qos : List.of(1, 0)) {
        for (int c : b.plan.clients()) {
          double eg = r.value(EndToEnd.E2E, Results.EDGEGATE, s.label(), qos, c, "throughput");
          double egCpu =
              r.value(EndToEnd.E2E, Results.EDGEGATE, s.label(), qos, c, "cpu-per-million");
          double mq = r.value(References.BROKER, Results.MOSQUITTO, "", qos, c, "throughput");
          double mqCpu =
              r.value(References.BROKER, Results.MOSQUITTO, "", qos, c, "cpu-per-million");
          line(
              "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s |"
                  .formatted(
                      s.label(),
                      qos,
                      c,
                      num(eg),
                      num(mq),
                      ratio(eg, mq),
                      num(raw),
                      ratio(eg, raw),
                      num1(egCpu),
                      ratio(egCpu, mqCpu),
                      ratio(egCpu, rawCpu)));
        }
      }
    }
    line("");
    double hdr =
        r.value(References.KAFKA, Results.RAW, References.WITH_HEADERS, 1, maxC, "throughput");
    double hdrCpu =
        r.value(References.KAFKA, Results.RAW, References.WITH_HEADERS, 1, maxC, "cpu-per-million");
    line(
        ("Raw producer: keyed by %d device ids, acks=all (the QoS column does not apply to it): %s"
                + " records/s at %s CPU s/M; with the envelope's 13 headers per record (built per"
                + " record, as the gateway does): %s records/s at %s CPU s/M. CPU s/M = CPU seconds"
                + " per million events of that process alone (the Kafka broker's and the"
                + " simulator's are in `results.csv`).")
            .formatted(maxC, num(raw), num1(rawCpu), num(hdr), num1(hdrCpu)));
  }

  private void latency() {
    int c = b.plan.maxClients();
    line("| system | rate (events/s) | p50 ms | p99 ms | p99.9 ms | p99 ÷ raw producer |");
    line("|---|---|---|---|---|---|");
    double rawP99 = r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "p99");
    line(
        "| raw producer (send → ack) | %s | %s | %s | %s | 1.00× |"
            .formatted(
                num(r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "rate")),
                num1(r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "p50")),
                num1(rawP99),
                num1(r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "p99.9"))));
    for (GatewayChild.Setup s : EndToEnd.setups(b.plan)) {
      String l = s.label();
      double p99 = r.value(EndToEnd.LATENCY, Results.EDGEGATE, l, 1, c, "p99");
      line(
          "| EdgeGate %s (publish → Kafka; lost %s) | %s | %s | %s | %s | %s |"
              .formatted(
                  l,
                  num(r.value(EndToEnd.LATENCY, Results.EDGEGATE, l, 1, c, "lost")),
                  num(r.value(EndToEnd.LATENCY, Results.EDGEGATE, l, 1, c, "rate")),
                  num1(r.value(EndToEnd.LATENCY, Results.EDGEGATE, l, 1, c, "p50")),
                  num1(p99),
                  num1(r.value(EndToEnd.LATENCY, Results.EDGEGATE, l, 1, c, "p99.9")),
                  ratio(p99, rawP99)));
    }
    line("");
    line(
        "EdgeGate's latency is measured by the simulator's audit in whole milliseconds (send time →"
            + " Kafka record timestamp); the raw producer's from its send call to the acknowledgement.");
  }

  private void scale() {
    line(
        "| devices | EdgeGate RSS MiB | anonymous RSS MiB | heap MiB | RSS KiB/device | heap KiB/device | Mosquitto RSS MiB |"
            + " Mosquitto KiB/device | RSS ÷ Mosquitto | RSS/device ÷ Mosquitto | EdgeGate events/s |");
    line("|---|---|---|---|---|---|---|---|---|---|---|");
    for (int d : b.plan.scaleDevices()) {
      String c = "sync batch";
      double rss = r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "rss");
      double per = r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "rss-per-device");
      double mq = r.value(Scale.SCALE, Results.MOSQUITTO, "", 1, d, "rss");
      double mqPer = r.value(Scale.SCALE, Results.MOSQUITTO, "", 1, d, "rss-per-device");
      line(
          "| %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |"
              .formatted(
                  d,
                  num1(rss),
                  num1(r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "rss-anonymous")),
                  num1(r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "heap-after-gc")),
                  num1(per),
                  num1(r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "heap-per-device")),
                  num1(mq),
                  num1(mqPer),
                  ratio(rss, mq),
                  ratio(per, mqPer),
                  num(r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "forwarded-rate"))));
    }
  }

  private void other() {
    line("| figure | value |");
    line("|---|---|");
    for (Results.Row row : r.rows()) {
      boolean wanted =
          row.scenario().equals(OutageDrain.OUTAGE)
              || row.scenario().equals(StartUp.STARTUP)
              || row.scenario().equals(EndToEnd.FOOTPRINT);
      if (wanted) {
        line(
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

  private static String ratio(double a, double b) {
    double q = a / b;
    return Double.isNaN(q) || Double.isInfinite(q) ? "n/m" : num2(q) + "×";
  }

  static String num(double v) {
    return Double.isNaN(v) ? "n/m" : String.format(Locale.ROOT, "%,.0f", v);
  }

  static String num1(double v) {
    return Double.isNaN(v) ? "n/m" : String.format(Locale.ROOT, "%,.1f", v);
  }

  static String num2(double v) {
    return Double.isNaN(v) ? "n/m" : String.format(Locale.ROOT, "%,.2f", v);
  }

  private void line(String s) {
    md.append(s).append('\n');
  }
}
