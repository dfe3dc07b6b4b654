package io.edgegate.benchmarks.runner;

import static io.edgegate.benchmarks.runner.Markdown.num;
import static io.edgegate.benchmarks.runner.Markdown.num1;
import static io.edgegate.benchmarks.runner.Markdown.num2;
import static io.edgegate.benchmarks.runner.Markdown.ratio;

import java.util.List;

/**
 * The targets table: each target's measured figure beside the reference it is held to (measured in
 * the same run), their ratio, the aim, and whether it was met.
 */
final class TargetsSection {
  private TargetsSection() {}

  static void write(Bench b, Markdown md) {
    Results r = b.results;
    md.line("| # | target | measured | reference (same run) | ratio | aim | met |");
    md.line("|---|---|---|---|---|---|---|");
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
          md,
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
        md,
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
          md,
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
          md,
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
        md,
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
        md,
        "4",
        "p99 publish → broker append at 50 %% of max (%s events/s), sync batch"
            .formatted(num(rate)),
        num1(p99) + " ms",
        "raw producer send → append p99 at that rate: " + num1(rawP99) + " ms",
        p99 / rawP99,
        "≤ 1.5×",
        p99 / rawP99 <= 1.5);
    target(
        md,
        "4",
        "p50 publish → broker append at 50 % of max, sync batch",
        num1(p50) + " ms",
        "raw producer p50 %s ms + journal.syncInterval %s ms = %s ms"
            .formatted(num1(rawP50), num(sync), num1(rawP50 + sync)),
        p50 / (rawP50 + sync),
        "≤ 1.0×",
        p50 <= rawP50 + sync);
    int devices = b.plan.scaleDevices().get(b.plan.scaleDevices().size() - 1);
    for (String profile : ScaleSection.profiles(r)) {
      double rss = r.value(Scale.SCALE, Results.EDGEGATE, profile, 1, devices, "rss");
      double heap = r.value(Scale.SCALE, Results.EDGEGATE, profile, 1, devices, "heap-after-gc");
      double perIdle =
          r.value(Scale.SCALE, Results.EDGEGATE, profile, 1, devices, "heap-per-idle-connection");
      double fwd = r.value(Scale.SCALE, Results.EDGEGATE, profile, 1, devices, "forwarded-rate");
      String at = "%,d devices at %s events/s, %s".formatted(devices, num(fwd), profile);
      target(
          md,
          "5",
          "RSS, " + at,
          num1(rss) + " MiB",
          "aim 150 MiB",
          rss / 150,
          "≤ 1.0×",
          rss <= 150);
      target(
          md,
          "5",
          "live heap after GC, " + at,
          num1(heap) + " MiB",
          "aim 48 MiB",
          heap / 48,
          "≤ 1.0×",
          heap <= 48);
      target(
          md,
          "5",
          "heap per idle connection, " + profile,
          num2(perIdle) + " KiB",
          "aim 3 KiB",
          perIdle / 3,
          "≤ 1.0×",
          perIdle <= 3);
    }
    double alloc = r.value(Stages.STAGES, Results.EDGEGATE, batch, 1, maxC, "allocated-per-event");
    md.line(
        ("| 6 | allocation per forwarded event, end to end (JFR, sync batch, QoS 1, %d clients) |"
                + " %s B | — | — | (printed) | %s |")
            .formatted(maxC, num(alloc), Double.isNaN(alloc) ? "not measured" : "—"));
    List<Results.Row> jmh =
        r.rows().stream()
            .filter(x -> x.scenario().equals(Jmh.JMH) && x.metric().equals("alloc-per-op"))
            .toList();
    if (jmh.isEmpty()) {
      md.line("| 6 | allocation per event, JMH | n/m | — | — | (printed) | not measured |");
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
      md.line(
          "| 6 | allocation per event, JMH `%s` | %s B/op (%s %s) | — | — | (printed) | — |"
              .formatted(j.config(), num(j.value()), num1(score), unit));
    }
    md.line(
        "| 6 | CPU by stage (JFR) | see *CPU and allocation by stage* | — | — | (printed) | %s |"
            .formatted(
                r.rows().stream().anyMatch(x -> x.scenario().equals(Stages.STAGES))
                    ? "—"
                    : "not measured"));
  }

  /** One row; a figure the run did not measure makes it "not measured", never "no". */
  private static void target(
      Markdown md,
      String n,
      String what,
      String measured,
      String reference,
      double ratio,
      String aim,
      boolean met) {
    boolean unknown = measured.startsWith("n/m") || Double.isNaN(ratio) || Double.isInfinite(ratio);
    md.line(
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
}
