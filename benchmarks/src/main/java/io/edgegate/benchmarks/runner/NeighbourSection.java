package io.edgegate.benchmarks.runner;

import static io.edgegate.benchmarks.runner.Markdown.num;
import static io.edgegate.benchmarks.runner.Markdown.num1;
import static io.edgegate.benchmarks.runner.Markdown.ratio;

import java.util.List;
import java.util.Map;

/**
 * The neighbour scenario: well-behaved devices' acknowledgement latency alone and beside a flooding
 * device, throttled and not, with the p99 ratios. Nothing (not even its heading) for a run without
 * it.
 */
final class NeighbourSection {
  private NeighbourSection() {}

  static void write(Bench b, Markdown md) {
    Results r = b.results;
    boolean measured =
        r.find(row -> row.scenario().equals(Neighbour.NEIGHBOUR)).isPresent()
            || r.notMeasured.keySet().stream().anyMatch(k -> k.startsWith(Neighbour.NEIGHBOUR));
    if (!measured) {
      return;
    }
    md.heading("Neighbours of a flooding device");
    md.line(
        ("%d devices, QoS 1, %.0f events/s each: their publish → PUBACK latency alone, then beside"
                + " one device publishing as fast as its %d-publish window allows — on a gateway"
                + " with `mqtt.limits.publishRate: %d` (burst %d: the flood is throttled) and on"
                + " one without. Each gateway ran its two phases back to back (%d s each, after %d"
                + " s of the same devices as a warm-up), so that the machine's other load hit both"
                + " alike: the ratio to \"alone\" is what counts.")
            .formatted(
                Neighbour.DEVICES,
                Neighbour.DEVICE_RATE,
                References.IN_FLIGHT,
                Neighbour.PUBLISH_RATE,
                Neighbour.PUBLISH_RATE,
                Neighbour.phase(b).toSeconds(),
                Neighbour.warmUp(b).toSeconds()));
    md.line("");
    md.line(
        "| gateway | phase | ack p50 ms | ack p99 ms | ack max ms | p99 ÷ alone |"
            + " their events/s | flood acknowledged/s |");
    md.line("|---|---|---|---|---|---|---|---|");
    for (String gw : List.of(Neighbour.LIMITED, Neighbour.UNLIMITED)) {
      String alone = Neighbour.config(gw, Neighbour.ALONE);
      double aloneP99 = value(r, alone, Neighbour.DEVICES, "ack-p99");
      for (String phase : List.of(Neighbour.ALONE, Neighbour.BESIDE)) {
        String c = Neighbour.config(gw, phase);
        double p99 = value(r, c, Neighbour.DEVICES, "ack-p99");
        md.line(
            "| %s | %s | %s | %s | %s | %s | %s | %s |"
                .formatted(
                    gw,
                    phase,
                    num1(value(r, c, Neighbour.DEVICES, "ack-p50")),
                    num1(p99),
                    num1(value(r, c, Neighbour.DEVICES, "ack-max")),
                    ratio(p99, aloneP99),
                    num(value(r, c, Neighbour.DEVICES, "acknowledged-rate")),
                    phase.equals(Neighbour.ALONE)
                        ? "–"
                        : num(value(r, c, 1, "flood-acknowledged-rate"))));
      }
    }
    md.line("");
    md.line(
        "The flood's rate is over its whole run, its first burst included. p99(throttled flood) ÷"
            + " p99(alone) = **%s**; p99(unthrottled flood) ÷ p99(alone) = **%s**."
                .formatted(p99Ratio(Neighbour.LIMITED, r), p99Ratio(Neighbour.UNLIMITED, r)));
    for (Map.Entry<String, String> e : r.notMeasured.entrySet()) {
      if (e.getKey().startsWith(Neighbour.NEIGHBOUR)) {
        md.line("");
        md.line("- **" + e.getKey() + "**: " + e.getValue());
      }
    }
    md.line("");
  }

  private static String p99Ratio(String gateway, Results r) {
    return ratio(
        value(r, Neighbour.config(gateway, Neighbour.BESIDE), Neighbour.DEVICES, "ack-p99"),
        value(r, Neighbour.config(gateway, Neighbour.ALONE), Neighbour.DEVICES, "ack-p99"));
  }

  private static double value(Results r, String config, int clients, String metric) {
    return r.value(Neighbour.NEIGHBOUR, Results.EDGEGATE, config, 1, clients, metric);
  }
}
