package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Kafka stopped under a steady QoS 1 load, then started again: how fast the gateway drains the
 * backlog it journaled meanwhile, against the rate events keep arriving at.
 */
final class OutageDrain {
  static final String OUTAGE = "outage";

  private OutageDrain() {}

  static void run(Bench b) throws IOException, InterruptedException {
    GatewayChild.Setup setup =
        new GatewayChild.Setup("outage", "batch", "at-least-once", "bench.outage");
    Path dir = b.work.resolve("gw-outage");
    double rate = b.plan.outageRate();
    try (GatewayChild gw = GatewayChild.start(b, setup, dir, b.kafka.bootstrapServers())) {
      b.results.add(
          "startup",
          Results.EDGEGATE,
          "gateway for the outage",
          0,
          0,
          "start-to-ready",
          gw.startToReadySeconds,
          "s");
      Duration length = b.plan.outageWarmUp().plus(b.plan.outage()).plus(Duration.ofSeconds(120));
      SimChild sim =
          SimChild.start(
              b,
              b.runId("outage"),
              gw.mqttPort(),
              new SimChild.Load(10, 1, rate, 0, length, Duration.ZERO, 1, 64));
      try {
        double warm = rate * b.plan.outageWarmUp().toMillis() / 1000.0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(gw.forwarded() >= warm) && System.nanoTime() < deadline) { // NaN: again
          Child.pause(100);
        }
        b.kafka.stop();
        long stopped = System.nanoTime();
        b.log("outage: Kafka stopped, %.0f events/s keep coming", rate);
        // The outage lasts the planned time (the scenario's definition, not a synchronisation).
        Child.pause(b.plan.outage().toMillis());
        double restartSeconds = b.kafka.start();
        long ready = System.nanoTime();
        double backlog = gw.backlog();
        for (int i = 0; i < 5 && Double.isNaN(backlog); i++) {
          backlog = gw.backlog();
        }
        double outageSeconds = (ready - stopped) / 1e9;
        long drainDeadline = ready + Duration.ofSeconds(300).toNanos();
        while (!(gw.backlog() <= rate / 5) && System.nanoTime() < drainDeadline) { // NaN: again
          Child.pause(100);
        }
        double drainSeconds = (System.nanoTime() - ready) / 1e9;
        sim.requestStop();
        SimChild.Result run = sim.result();
        double ingest = run.rate(1);
        // While draining, new events kept arriving: the drain rate covers both.
        double drain = (backlog + ingest * drainSeconds) / drainSeconds;
        Results r = b.results;
        String c = "sync batch";
        r.add(OUTAGE, Results.EDGEGATE, c, 1, 10, "ingest", ingest, "events/s");
        r.add(OUTAGE, Results.EDGEGATE, c, 1, 10, "kafka-away", outageSeconds, "s");
        r.add(OUTAGE, Results.EDGEGATE, c, 1, 10, "kafka-restart", restartSeconds, "s");
        r.add(OUTAGE, Results.EDGEGATE, c, 1, 10, "backlog", backlog, "events");
        r.add(OUTAGE, Results.EDGEGATE, c, 1, 10, "drain-time", drainSeconds, "s");
        r.add(OUTAGE, Results.EDGEGATE, c, 1, 10, "drain-rate", drain, "events/s");
        r.add(OUTAGE, Results.EDGEGATE, c, 1, 10, "drain-ratio", drain / ingest, "x");
        b.log(
            "outage: backlog %.0f events drained in %.1f s: %.0f events/s = %.1fx ingest",
            backlog, drainSeconds, drain, drain / ingest);
      } finally {
        sim.stop();
      }
    } finally {
      DirectoryTrees.deleteTree(dir);
    }
  }
}
