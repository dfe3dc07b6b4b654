package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The forward stage alone: a warm gateway journals a backlog while Kafka is away (QoS 1 at full
 * speed, then the devices stop), Kafka comes back, and the gateway drains the backlog with nothing
 * else to do. The reference is the raw producer replaying the very records the gateway wrote.
 */
final class Drain {
  static final String DRAIN = "drain";
  static final String TOPIC = "bench.drain";

  private Drain() {}

  static void run(Bench b) throws IOException, InterruptedException {
    GatewayChild.Setup setup = new GatewayChild.Setup("drain", "batch", "at-least-once", TOPIC);
    Path dir = b.work.resolve("gw-drain");
    int clients = b.plan.maxClients();
    String c = setup.label();
    Results r = b.results;
    try (GatewayChild gw = GatewayChild.start(b, setup, dir, b.kafka.bootstrapServers())) {
      WarmUp.run(b, gw);
      b.kafka.stop();
      b.log("drain: Kafka stopped; the gateway journals a backlog");
      SimChild.Result run;
      double f0 = Double.NaN;
      try {
        run =
            SimChild.run(
                b, b.runId("drain-backlog"), gw.mqttPort(), References.maxLoad(b, clients, 1));
        // Before Kafka is back: the gateway forwards as soon as the broker answers.
        for (int i = 0; i < 10 && Double.isNaN(f0); i++) {
          f0 = gw.forwarded();
        }
      } finally {
        b.kafka.start();
      }
      EndToEnd.ForwardedSamples samples = new EndToEnd.ForwardedSamples(gw, f0);
      long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
      while (System.nanoTime() < deadline
          && samples.count() < run.acknowledged()
          && samples.sinceLastIncrease() < 30e9) {
        samples.take();
        Child.pause(50);
      }
      r.add(DRAIN, Results.EDGEGATE, c, 1, clients, "backlog", run.acknowledged(), "events");
      r.add(DRAIN, Results.EDGEGATE, c, 1, clients, "drained", samples.count(), "events");
      r.add(DRAIN, Results.EDGEGATE, c, 1, clients, "throughput", samples.rate(), "events/s");
      b.log(
          "drain: %.0f of %d journaled events forwarded at %.0f events/s",
          samples.count(), run.acknowledged(), samples.rate());
    } finally {
      DirectoryTrees.deleteTree(dir);
    }
    References.rawProducerReplay(b, TOPIC);
  }
}
