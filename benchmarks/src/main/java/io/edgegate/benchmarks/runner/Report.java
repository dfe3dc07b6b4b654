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

  /** The ratio table alone (for docs/performance.md). */
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
    line("## Warm-up and the first seconds after a start");
    line("");
    warmUp();
    line("");
    coldStart();
    line("");
    line("## CPU and allocation by stage");
    line("");
    stages();
    line("");
    jmh();
    line("");
    line("## Forward stage alone: backlog drain");
    line("");
    drain();
    line("");
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
        keeping 64 publishes in flight (20 in the in-flight-20 rows), rate `max` (throughput) or a \
        fixed total rate (latency, scale, outage). The same command line against Mosquitto and \
        EdgeGate.
        - **Warm-up**: every gateway is first loaded (QoS 1, full speed, most clients) in windows of \
        %d s until two successive windows' CPU per event differ by at most %.0f %% (at most %d s); \
        only then are its loads measured. The warm-up windows, the first 10 s after the start \
        among them, are reported apart; the cold-start rows start a gateway under load at once.
        - **Mosquitto**: started by the runner with a generated configuration (listener on \
        127.0.0.1, free port, `persistence false`); QoS 1 throughput = PUBACKs/s, QoS 0 = messages \
        one subscriber (`mosquitto_sub -t '#'`, a line per message into a file) received per \
        second while they arrived; the no-subscriber ingest rate is kept as context.
        - **Raw producer**: a plain `KafkaProducer` with the gateway's settings (acks=all, \
        idempotence, 5 requests in flight, linger 5 ms, lz4), to the same broker process, after \
        a warm-up of its own. As reference of the gateway's CPU per event and of its forward stage \
        it *replays the gateway's own records* (read back from the drain scenario's topic: the same \
        keys, headers, values and partitions). Its CPU is its own process's over the window.
        - **EdgeGate**: `bin/edgegate run` as a child process (the launcher's own JVM flags and \
        class-data sharing; the profile's configuration file and environment, the runner's ports, \
        directories and topic laid over it); throughput = `edgegate_events_forwarded_total` \
        (events Kafka acknowledged) over the time it rose; its records carry the CloudEvents \
        headers besides the payload.
        - **Latency**: every topic is created with `message.timestamp.type=LogAppendTime`, so a \
        record's timestamp is when the broker appended it: EdgeGate = the simulator's audit, \
        publish (the device's clock) → append time, every event read back; raw producer = its \
        `send()` → the append time in its acknowledgement. Both in whole ms, same clock.
        - **CPU** = utime + stime from `/proc/<pid>/stat` of each process over the load; **RSS** \
        from `/proc/<pid>/status`; **heap** = used after a full GC (`jcmd GC.run`, then \
        `GC.heap_info`, all spaces). **By stage**: a flight recording (`jcmd JFR.start`, \
        `jdk.ThreadCPULoad` and `jdk.ThreadAllocationStatistics` each second) during one extra \
        load, read with `jfr print --json`, threads grouped by name.
        - **Scale**: N−%d idle devices (one event a minute each) connect at 1,000/s (heap per idle \
        connection = (heap with them − idle process) ÷ their number), then %d active devices carry \
        %.0f events/s as well (RSS, heap); per profile (the shipped default; Raspberry Pi: its \
        configuration file and the JVM options its header gives).
        - **Drain**: a warm gateway journals a backlog (QoS 1 at full speed) while Kafka is \
        stopped; the devices stop; Kafka comes back; rate = events forwarded ÷ the time the \
        counter rose.
        - **Outage**: 10 devices at %.0f events/s, QoS 1; the Kafka broker process stopped for %d s \
        and started again (same data, same port); drain rate = (backlog when Kafka was back + \
        events arriving meanwhile) ÷ time until the backlog is under 0.2 s of ingest.
        - Raw CSV/JSON: `results.csv`, `results.json`; child process output: `logs/`."""
            .formatted(
                Bench.PAYLOAD,
                b.plan.warmUpWindow().toSeconds(),
                b.plan.warmUpTolerance() * 100,
                b.plan.warmUpMax().toSeconds(),
                b.plan.scaleActive(),
                b.plan.scaleActive(),
                b.plan.scaleRate(),
                b.plan.outageRate(),
                b.plan.outage().toSeconds()));
  }

  private void targets() {
    line("| # | target | measured | reference (same run) | ratio | aim | met |");
    line("|---|---|---|---|---|---|---|");
    String batch = "sync batch";
    String k = References.KAFKA;
    String replay = References.REPLAY;
    int maxC = b.plan.maxClients();
    double rawCpu = r.value(k, Results.RAW, replay, 1, maxC, "cpu-per-million");
    for (int c : b.plan.clients()) {
      double cpu = r.value(EndToEnd.E2E, Results.EDGEGATE, batch, 1, c, "cpu-per-million");
      double mq = r.value(References.BROKER, Results.MOSQUITTO, "", 1, c, "cpu-per-million");
      double ratio = cpu / (mq + rawCpu);
      target(
          "1",
          "CPU per forwarded event, QoS 1, sync batch, %d clients".formatted(c),
          num1(cpu) + " CPU s/M",
          "Mosquitto QoS 1 ingest %s + raw producer (same records) %s = %s CPU s/M"
              .formatted(num1(mq), num1(rawCpu), num1(mq + rawCpu)),
          ratio,
          "≤ 1.0×",
          ratio <= 1.0);
    }
    double drain = r.value(Drain.DRAIN, Results.EDGEGATE, batch, 1, maxC, "throughput");
    double rawRate = r.value(k, Results.RAW, replay, 1, maxC, "throughput");
    target(
        "2",
        "forward stage alone (backlog drain after an outage)",
        num(drain) + " events/s",
        "raw producer, the same records: " + num(rawRate) + " records/s",
        drain / rawRate,
        "≥ 0.8×",
        drain / rawRate >= 0.8);
    for (int c : b.plan.clients()) {
      double eg = r.value(EndToEnd.E2E, Results.EDGEGATE, batch, 0, c, "throughput");
      double mq =
          r.value(References.BROKER, Results.MOSQUITTO, References.SUBSCRIBER, 0, c, "throughput");
      double mq0 = r.value(References.BROKER, Results.MOSQUITTO, "", 0, c, "throughput");
      target(
          "3",
          "QoS 0 end to end, sync batch, %d clients".formatted(c),
          num(eg) + " events/s",
          "Mosquitto QoS 0 to one subscriber: %s events/s (ingest, no subscriber: %s)"
              .formatted(num(mq), num(mq0)),
          eg / mq,
          "≥ 1.0×",
          eg / mq >= 1.0);
    }
    for (int c : b.plan.clients()) {
      double eg = r.value(EndToEnd.E2E, Results.EDGEGATE, batch, 1, c, "throughput");
      double mq = r.value(References.BROKER, Results.MOSQUITTO, "", 1, c, "throughput");
      target(
          "3",
          "QoS 1 end to end, sync batch, %d clients".formatted(c),
          num(eg) + " events/s",
          "Mosquitto QoS 1: " + num(mq) + " events/s",
          eg / mq,
          "≥ 1.0×",
          eg / mq >= 1.0);
    }
    String w = "in-flight " + EndToEnd.IN_FLIGHT_SMALL;
    double egW =
        r.value(EndToEnd.E2E, Results.EDGEGATE, EndToEnd.inFlightLabel(batch), 1, 10, "throughput");
    double mqW = r.value(References.BROKER, Results.MOSQUITTO, w, 1, 10, "throughput");
    target(
        "3",
        "QoS 1 end to end, sync batch, 10 clients × " + w,
        num(egW) + " events/s",
        "Mosquitto QoS 1, " + w + ": " + num(mqW) + " events/s",
        egW / mqW,
        "≥ 1.0×",
        egW / mqW >= 1.0);
    double p99 = r.value(EndToEnd.LATENCY, Results.EDGEGATE, batch, 1, maxC, "p99");
    double p50 = r.value(EndToEnd.LATENCY, Results.EDGEGATE, batch, 1, maxC, "p50");
    double rawP99 = r.value(EndToEnd.LATENCY, Results.RAW, "", 1, maxC, "p99");
    double rawP50 = r.value(EndToEnd.LATENCY, Results.RAW, "", 1, maxC, "p50");
    double sync = r.value(EndToEnd.LATENCY, Results.EDGEGATE, batch, 1, maxC, "sync-interval");
    double rate = r.value(EndToEnd.LATENCY, Results.EDGEGATE, batch, 1, maxC, "rate");
    target(
        "4",
        "p99 publish → broker append at 50 %% of max (%s events/s), sync batch"
            .formatted(num(rate)),
        num1(p99) + " ms",
        "raw producer send → append p99 at that rate: " + num1(rawP99) + " ms",
        p99 / rawP99,
        "≤ 1.5×",
        p99 / rawP99 <= 1.5);
    target(
        "4",
        "p50 publish → broker append at 50 % of max, sync batch",
        num1(p50) + " ms",
        "raw producer p50 %s ms + journal.syncInterval %s ms = %s ms"
            .formatted(num1(rawP50), num(sync), num1(rawP50 + sync)),
        p50 / (rawP50 + sync),
        "≤ 1.0×",
        p50 <= rawP50 + sync);
    int devices = b.plan.scaleDevices().get(b.plan.scaleDevices().size() - 1);
    for (String profile : profiles()) {
      double rss = r.value(Scale.SCALE, Results.EDGEGATE, profile, 1, devices, "rss");
      double heap = r.value(Scale.SCALE, Results.EDGEGATE, profile, 1, devices, "heap-after-gc");
      double perIdle =
          r.value(Scale.SCALE, Results.EDGEGATE, profile, 1, devices, "heap-per-idle-connection");
      double fwd = r.value(Scale.SCALE, Results.EDGEGATE, profile, 1, devices, "forwarded-rate");
      String at = "%,d devices at %s events/s, %s".formatted(devices, num(fwd), profile);
      target("5", "RSS, " + at, num1(rss) + " MiB", "aim 150 MiB", rss / 150, "≤ 1.0×", rss <= 150);
      target(
          "5",
          "live heap after GC, " + at,
          num1(heap) + " MiB",
          "aim 48 MiB",
          heap / 48,
          "≤ 1.0×",
          heap <= 48);
      target(
          "5",
          "heap per idle connection, " + profile,
          num2(perIdle) + " KiB",
          "aim 3 KiB",
          perIdle / 3,
          "≤ 1.0×",
          perIdle <= 3);
    }
    double alloc =
        r.value(EndToEnd.STAGES, Results.EDGEGATE, batch, 1, maxC, "allocated-per-event");
    line(
        ("| 6 | allocation per forwarded event, end to end (JFR, sync batch, QoS 1, %d clients) |"
                + " %s B | — | — | (printed) | %s |")
            .formatted(maxC, num(alloc), Double.isNaN(alloc) ? "not measured" : "—"));
    List<Results.Row> jmh =
        r.rows().stream()
            .filter(x -> x.scenario().equals(Jmh.JMH) && x.metric().equals("alloc-per-op"))
            .toList();
    if (jmh.isEmpty()) {
      line("| 6 | allocation per event, JMH | n/m | — | — | (printed) | not measured |");
    }
    for (Results.Row j : jmh) {
      double score = r.value(Jmh.JMH, "jmh", j.config(), 0, 0, "score");
      String unit =
          r.find(
                  x ->
                      x.scenario().equals(Jmh.JMH)
                          && x.config().equals(j.config())
                          && x.metric().equals("score"))
              .map(Results.Row::unit)
              .orElse("");
      line(
          "| 6 | allocation per event, JMH `%s` | %s B/op (%s %s) | — | — | (printed) | — |"
              .formatted(j.config(), num(j.value()), num1(score), unit));
    }
    line(
        "| 6 | CPU by stage (JFR) | see *CPU and allocation by stage* | — | — | (printed) | %s |"
            .formatted(
                r.rows().stream().anyMatch(x -> x.scenario().equals(EndToEnd.STAGES))
                    ? "—"
                    : "not measured"));
  }

  /** The profiles the scale scenario measured (the shipped default first). */
  private List<String> profiles() {
    List<String> p = new java.util.ArrayList<>();
    p.add(Profile.DEFAULT);
    for (Results.Row x : r.rows()) {
      if (x.scenario().equals(Scale.SCALE)
          && x.system().equals(Results.EDGEGATE)
          && !p.contains(x.config())) {
        p.add(x.config());
      }
    }
    return p;
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
      String n,
      String what,
      String measured,
      String reference,
      double ratio,
      String aim,
      boolean met) {
    boolean unknown = measured.startsWith("n/m") || Double.isNaN(ratio) || Double.isInfinite(ratio);
    line(
        "| %s | %s | %s | %s | %s | %s | %s |"
            .formatted(
                n,
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
        "| raw producer (send → broker append) | %s | %s | %s | %s | 1.00× |"
            .formatted(
                num(r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "rate")),
                num1(r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "p50")),
                num1(rawP99),
                num1(r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "p99.9"))));
    for (GatewayChild.Setup s : EndToEnd.setups(b.plan)) {
      String l = s.label();
      double p99 = r.value(EndToEnd.LATENCY, Results.EDGEGATE, l, 1, c, "p99");
      line(
          "| EdgeGate %s (publish → broker append; lost %s) | %s | %s | %s | %s | %s |"
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
        ("Both end at the moment the broker appended the record (topics with"
                + " `message.timestamp.type=LogAppendTime`): EdgeGate's from the device's publish"
                + " (the simulator's audit), the raw producer's from its `send()`, in whole ms. The"
                + " raw producer's send → acknowledgement, for context: p50 %s ms, p99 %s ms.")
            .formatted(
                num1(r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "ack-p50")),
                num1(r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "ack-p99"))));
  }

  private void scale() {
    line(
        "| profile | devices | EdgeGate RSS MiB | anonymous RSS MiB | heap MiB | RSS KiB/device | heap KiB/device | Mosquitto RSS MiB |"
            + " Mosquitto KiB/device | RSS ÷ Mosquitto | RSS/device ÷ Mosquitto | heap KiB/idle connection | EdgeGate events/s |");
    line("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (String c : profiles()) {
      for (int d : b.plan.scaleDevices()) {
        double rss = r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "rss");
        double per = r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "rss-per-device");
        double mq = r.value(Scale.SCALE, Results.MOSQUITTO, "", 1, d, "rss");
        double mqPer = r.value(Scale.SCALE, Results.MOSQUITTO, "", 1, d, "rss-per-device");
        line(
            "| %s | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |"
                .formatted(
                    c,
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
                    num1(
                        r.value(
                            Scale.SCALE, Results.EDGEGATE, c, 1, d, "heap-per-idle-connection")),
                    num(r.value(Scale.SCALE, Results.EDGEGATE, c, 1, d, "forwarded-rate"))));
      }
    }
    line("");
    line(
        "Profiles: "
            + String.join(
                "; ",
                b.profiles.stream().map(p -> "**" + p.name() + "**: " + p.describe()).toList())
            + ".");
  }

  private void warmUp() {
    line(
        "| configuration | warm-up | stable | first s | first 10 s: events/s | CPU s/M | warm:"
            + " events/s | CPU s/M | first ÷ warm CPU |");
    line("|---|---|---|---|---|---|---|---|---|");
    int c = b.plan.maxClients();
    for (String config : configs(WarmUp.WARMUP)) {
      double first =
          r.value(WarmUp.WARMUP, Results.EDGEGATE, config, 1, c, "first-cpu-per-million");
      double warm = r.value(WarmUp.WARMUP, Results.EDGEGATE, config, 1, c, "warm-cpu-per-million");
      line(
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
    line("");
    line(
        ("QoS 1 at full speed with %d clients, from the moment the gateway was ready; each"
                + " configuration's measured loads follow its warm-up. Per-window figures are in"
                + " `results.csv` (scenario `warmup`).")
            .formatted(c));
  }

  private void coldStart() {
    int c = b.plan.maxClients();
    double warm =
        r.value(WarmUp.WARMUP, Results.EDGEGATE, "sync batch", 1, c, "warm-cpu-per-million");
    line(
        ("| restart under load (QoS 1, %d clients at once) | start to ready | CPU s to ready |"
                + " first window: events/s | CPU s/M | next window: events/s | CPU s/M | first ÷"
                + " warm (default, sync batch) |")
            .formatted(c));
    line("|---|---|---|---|---|---|---|---|");
    for (String config : configs(ColdStart.COLD)) {
      double first =
          r.value(ColdStart.COLD, Results.EDGEGATE, config, 1, c, "first-cpu-per-million");
      line(
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
    line("");
    line(
        ("Windows of %d s each from the moment the gateway was ready (a power cut: the devices"
                + " were waiting). CDS off = `EDGEGATE_CDS=off` for the launcher; the Raspberry Pi"
                + " profile runs C1 only with SerialGC (its configuration's `JAVA_OPTS`).")
            .formatted(b.plan.coldLoad().toSeconds()));
  }

  private void stages() {
    int c = b.plan.maxClients();
    double forwarded = r.value(EndToEnd.STAGES, Results.EDGEGATE, "sync batch", 1, c, "forwarded");
    double process = r.value(EndToEnd.STAGES, Results.EDGEGATE, "sync batch", 1, c, "process-cpu");
    if (Double.isNaN(forwarded)) {
      line("Not measured.");
      return;
    }
    line("| stage (threads) | CPU s | share | CPU µs per event | allocated B per event |");
    line("|---|---|---|---|---|");
    double sum = 0;
    for (Results.Row x : r.rows()) {
      if (x.scenario().equals(EndToEnd.STAGES) && x.metric().equals("cpu")) {
        double alloc = r.value(EndToEnd.STAGES, Results.EDGEGATE, x.config(), 1, c, "allocated");
        sum += x.value();
        line(
            "| %s | %s | %s | %s | %s |"
                .formatted(
                    x.config(),
                    num2(x.value()),
                    pct(x.value() / process),
                    num2(x.value() / forwarded * 1e6),
                    num(alloc / forwarded)));
      }
    }
    line(
        "| not attributed to a Java thread (GC, VM threads) | %s | %s | %s | — |"
            .formatted(
                num2(process - sum),
                pct((process - sum) / process),
                num2((process - sum) / forwarded * 1e6)));
    line("");
    line(
        ("One extra QoS 1 load with %d clients on the warm sync-batch gateway, recorded by JFR:"
                + " %s events forwarded, %s CPU s of the process (from /proc). Allocation per"
                + " forwarded event, all threads: **%s B**.")
            .formatted(
                c,
                num(forwarded),
                num2(process),
                num(
                    r.value(
                        EndToEnd.STAGES,
                        Results.EDGEGATE,
                        "sync batch",
                        1,
                        c,
                        "allocated-per-event"))));
  }

  private void jmh() {
    List<Results.Row> rows =
        r.rows().stream()
            .filter(x -> x.scenario().equals(Jmh.JMH) && x.metric().equals("score"))
            .toList();
    if (rows.isEmpty()) {
      line(
          "JMH: no results file in this run (`benchmarks/run-micro -prof gc -rf json`, then"
              + " `benchmarks/run --jmh jmh-result.json`).");
      return;
    }
    line("| JMH benchmark | score | allocated B/op |");
    line("|---|---|---|");
    for (Results.Row x : rows) {
      line(
          "| `%s` | %s %s | %s |"
              .formatted(
                  x.config(),
                  num1(x.value()),
                  x.unit(),
                  num(r.value(Jmh.JMH, "jmh", x.config(), 0, 0, "alloc-per-op"))));
    }
  }

  private void drain() {
    int c = b.plan.maxClients();
    double backlog = r.value(Drain.DRAIN, Results.EDGEGATE, "sync batch", 1, c, "backlog");
    double drained = r.value(Drain.DRAIN, Results.EDGEGATE, "sync batch", 1, c, "drained");
    double rate = r.value(Drain.DRAIN, Results.EDGEGATE, "sync batch", 1, c, "throughput");
    double raw = r.value(References.KAFKA, Results.RAW, References.REPLAY, 1, c, "throughput");
    double rawCpu =
        r.value(References.KAFKA, Results.RAW, References.REPLAY, 1, c, "cpu-per-million");
    double distinct =
        r.value(References.KAFKA, Results.RAW, References.REPLAY, 1, c, "distinct-records");
    line("| figure | value |");
    line("|---|---|");
    line("| backlog journaled while Kafka was away | %s events |".formatted(num(backlog)));
    line("| forwarded after Kafka came back | %s events |".formatted(num(drained)));
    line("| EdgeGate drain rate | %s events/s |".formatted(num(rate)));
    line(
        "| raw producer replaying %s of those records | %s records/s at %s CPU s/M |"
            .formatted(num(distinct), num(raw), num1(rawCpu)));
    line("| EdgeGate ÷ raw producer | %s |".formatted(ratio(rate, raw)));
  }

  /** Configurations of a scenario's EdgeGate rows, in measurement order. */
  private List<String> configs(String scenario) {
    return r.rows().stream()
        .filter(x -> x.scenario().equals(scenario) && x.system().equals(Results.EDGEGATE))
        .map(Results.Row::config)
        .distinct()
        .toList();
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "n/m" : String.format(Locale.ROOT, "%.0f %%", v * 100);
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
