package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A restart under load, as after a power cut: the gateway starts and its devices publish at full
 * speed at once. What the first seconds of a fresh JVM cost (CPU per event, rate) against the
 * seconds right after, for each profile with class-data sharing on and off.
 */
final class ColdStart {
  static final String COLD = "coldstart";

  private ColdStart() {}

  static String label(Profile p, boolean cds) {
    return p.name() + ", CDS " + (cds ? "on" : "off");
  }

  static void run(Bench b) throws IOException, InterruptedException {
    List<String> failed = new ArrayList<>();
    for (Profile p : b.profiles) {
      for (boolean cds : b.quick ? List.of(true) : List.of(true, false)) {
        try {
          once(b, p, cds);
        } catch (IOException | RuntimeException e) {
          failed.add(label(p, cds));
          b.results.notMeasured.put("cold start " + label(p, cds), "failed: " + e);
        }
      }
    }
    if (!failed.isEmpty()) {
      throw new IllegalStateException("failed: " + failed);
    }
  }

  private static void once(Bench b, Profile p, boolean cds)
      throws IOException, InterruptedException {
    String config = label(p, cds);
    GatewayChild.Setup setup =
        new GatewayChild.Setup(
            "cold-" + p.name() + (cds ? "" : "-nocds"), "batch", "at-least-once", "bench.cold");
    Path dir = b.work.resolve("gw-" + setup.name());
    int clients = b.plan.maxClients();
    Duration window = b.plan.coldLoad();
    Results r = b.results;
    try (GatewayChild gw =
        GatewayChild.start(
            b,
            setup,
            dir,
            b.kafka.bootstrapServers(),
            p,
            cds ? Map.of() : Map.of("EDGEGATE_CDS", "off"))) {
      double startCpu = gw.cpuSeconds();
      SimChild sim =
          SimChild.start(
              b,
              b.runId("cold-" + setup.name()),
              gw.mqttPort(),
              new SimChild.Load(
                  clients,
                  1,
                  0,
                  0,
                  window.multipliedBy(2).plusSeconds(5),
                  Duration.ZERO,
                  1,
                  References.IN_FLIGHT));
      double[][] w = new double[2][];
      double f0;
      double c0;
      long t0;
      try {
        // From the first forwarded event: the devices were waiting, the simulator's JVM start is
        // not the gateway's cost. CPU spent on the connections before it counts in the window.
        double cBeforeConnects = gw.cpuSeconds();
        double[] first = WarmUp.firstEvent(gw, sim);
        f0 = first[0];
        c0 = cBeforeConnects;
        t0 = (long) first[2];
        for (int i = 0; i < 2; i++) {
          Child.pause(
              Math.max(10, (t0 + window.toNanos() * (i + 1) - System.nanoTime()) / 1_000_000));
          double f = gw.forwarded();
          for (int k = 0; k < 5 && Double.isNaN(f); k++) {
            f = gw.forwarded();
          }
          w[i] = new double[] {f, gw.cpuSeconds(), System.nanoTime()};
        }
      } finally {
        sim.requestStop();
        try {
          sim.result();
        } catch (IOException | RuntimeException e) {
          b.log("cold-start simulator: %s", e.getMessage());
        }
      }
      double firstEvents = w[0][0] - f0;
      double firstCpu = w[0][1] - c0;
      double firstSeconds = (w[0][2] - t0) / 1e9;
      double nextEvents = w[1][0] - w[0][0];
      double nextCpu = w[1][1] - w[0][1];
      double nextSeconds = (w[1][2] - w[0][2]) / 1e9;
      r.add(
          COLD,
          Results.EDGEGATE,
          config,
          1,
          clients,
          "start-to-ready",
          gw.startToReadySeconds,
          "s");
      r.add(COLD, Results.EDGEGATE, config, 1, clients, "start-cpu", startCpu, "s");
      r.add(COLD, Results.EDGEGATE, config, 1, clients, "window", window.toMillis() / 1000.0, "s");
      r.add(
          COLD,
          Results.EDGEGATE,
          config,
          1,
          clients,
          "first-cpu-per-million",
          firstCpu / firstEvents * 1e6,
          "s");
      r.add(
          COLD,
          Results.EDGEGATE,
          config,
          1,
          clients,
          "first-rate",
          firstEvents / firstSeconds,
          "events/s");
      r.add(
          COLD,
          Results.EDGEGATE,
          config,
          1,
          clients,
          "next-cpu-per-million",
          nextCpu / nextEvents * 1e6,
          "s");
      r.add(
          COLD,
          Results.EDGEGATE,
          config,
          1,
          clients,
          "next-rate",
          nextEvents / nextSeconds,
          "events/s");
      r.add(
          COLD,
          Results.EDGEGATE,
          config,
          1,
          clients,
          "rss",
          ProcessProbe.rssBytes(gw.pid()) / 1048576.0,
          "MiB");
      b.log(
          "cold start %s: ready in %.2f s (%.1f CPU s); first %.0f s %.0f events/s at %.1f CPU s/M,"
              + " next %.0f s %.0f events/s at %.1f",
          config,
          gw.startToReadySeconds,
          startCpu,
          firstSeconds,
          firstEvents / firstSeconds,
          firstCpu / firstEvents * 1e6,
          nextSeconds,
          nextEvents / nextSeconds,
          nextCpu / nextEvents * 1e6);
    } finally {
      DirectoryTrees.deleteTree(dir);
    }
  }
}
