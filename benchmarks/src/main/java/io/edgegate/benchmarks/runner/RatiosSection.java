package io.edgegate.benchmarks.runner;

import static io.edgegate.benchmarks.runner.Markdown.num;
import static io.edgegate.benchmarks.runner.Markdown.num1;
import static io.edgegate.benchmarks.runner.Markdown.ratio;

import java.util.List;

/**
 * Throughput and CPU per event of every gateway configuration, QoS and client count, each divided
 * by Mosquitto's and the raw Kafka producer's; also written alone as {@code ratios.md}.
 */
final class RatiosSection {
  private RatiosSection() {}

  static void write(Bench b, Markdown md) {
    Results r = b.results;
    md.line(
        "| configuration | QoS | clients | EdgeGate events/s | Mosquitto events/s | ÷ Mosquitto |"
            + " raw producer records/s | ÷ raw | EdgeGate CPU s/M | ÷ Mosquitto CPU | ÷ raw CPU |");
    md.line("|---|---|---|---|---|---|---|---|---|---|---|");
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
          md.line(
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
    md.line("");
    double hdr =
        r.value(References.KAFKA, Results.RAW, References.WITH_HEADERS, 1, maxC, "throughput");
    double hdrCpu =
        r.value(References.KAFKA, Results.RAW, References.WITH_HEADERS, 1, maxC, "cpu-per-million");
    md.line(
        ("Raw producer: keyed by %d device ids, acks=all (the QoS column does not apply to it): %s"
                + " records/s at %s CPU s/M; with the envelope's 13 headers per record (built per"
                + " record, as the gateway does): %s records/s at %s CPU s/M. CPU s/M = CPU seconds"
                + " per million events of that process alone (the Kafka broker's and the"
                + " simulator's are in `results.csv`).")
            .formatted(maxC, num(raw), num1(rawCpu), num(hdr), num1(hdrCpu)));
  }
}
