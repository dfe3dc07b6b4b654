package io.edgegate.benchmarks.runner;

import static io.edgegate.benchmarks.runner.Markdown.num;
import static io.edgegate.benchmarks.runner.Markdown.num1;
import static io.edgegate.benchmarks.runner.Markdown.ratio;

/**
 * Latency at half the maximum QoS 1 rate: the raw producer's send → broker append beside each
 * gateway configuration's publish → broker append.
 */
final class LatencySection {
  private LatencySection() {}

  static void write(Bench b, Markdown md) {
    Results r = b.results;
    int c = b.plan.maxClients();
    md.line("| system | rate (events/s) | p50 ms | p99 ms | p99.9 ms | p99 ÷ raw producer |");
    md.line("|---|---|---|---|---|---|");
    double rawP99 = r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "p99");
    md.line(
        "| raw producer (send → broker append) | %s | %s | %s | %s | 1.00× |"
            .formatted(
                num(r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "rate")),
                num1(r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "p50")),
                num1(rawP99),
                num1(r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "p99.9"))));
    for (GatewayChild.Setup s : EndToEnd.setups(b.plan)) {
      String l = s.label();
      double p99 = r.value(EndToEnd.LATENCY, Results.EDGEGATE, l, 1, c, "p99");
      md.line(
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
    md.line("");
    md.line(
        ("Both end at the moment the broker appended the record (topics with"
                + " `message.timestamp.type=LogAppendTime`): EdgeGate's from the device's publish"
                + " (the simulator's audit), the raw producer's from its `send()`, in whole ms. The"
                + " raw producer's send → acknowledgement, for context: p50 %s ms, p99 %s ms.")
            .formatted(
                num1(r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "ack-p50")),
                num1(r.value(EndToEnd.LATENCY, Results.RAW, "", 1, c, "ack-p99"))));
  }
}
