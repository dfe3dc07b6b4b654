package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How much one flooding device slows the others: the acknowledgement latency of a few well-behaved
 * QoS 1 devices alone, then beside one device publishing as fast as it can — on a gateway with
 * {@code mqtt.limits.publishRate} (the flood throttled) and on one without (the flood unthrottled).
 * Each gateway measures its two phases back to back, so that the machine's other load hits both
 * alike; only their ratio counts. Called from the runner's thread.
 */
final class Neighbour {
  static final String NEIGHBOUR = "neighbour";

  /** The well-behaved devices and what each publishes per second. */
  static final int DEVICES = 5;

  static final double DEVICE_RATE = 50;

  /** {@code mqtt.limits.publishRate} and {@code publishBurst} of the throttled gateway. */
  static final int PUBLISH_RATE = 200;

  static final String LIMITED = "publishRate " + PUBLISH_RATE;
  static final String UNLIMITED = "no rate limit";
  static final String ALONE = "alone";
  static final String BESIDE = "beside the flood";

  private Neighbour() {}

  /** One gateway of the scenario: its label, name and the settings laid over its configuration. */
  private record Gateway(String label, String name, String limits) {}

  /** The results' config label of one phase on one gateway. */
  static String config(String gateway, String phase) {
    return gateway + ", " + phase;
  }

  /** Length of each measured phase. */
  static Duration phase(Bench b) {
    return Duration.ofSeconds(b.quick ? 2 : 6);
  }

  /** The load before the phases (JIT, the first connections). */
  static Duration warmUp(Bench b) {
    return Duration.ofSeconds(b.quick ? 1 : 2);
  }

  static void run(Bench b) throws IOException, InterruptedException {
    List<String> failed = new ArrayList<>();
    String limits =
        "mqtt: {limits: {publishRate: %d, publishBurst: %d}}".formatted(PUBLISH_RATE, PUBLISH_RATE);
    for (Gateway g :
        List.of(
            new Gateway(LIMITED, "neighbour-limited", limits),
            new Gateway(UNLIMITED, "neighbour-open", ""))) {
      try {
        gateway(b, g);
      } catch (IOException | RuntimeException e) {
        // One gateway failing leaves the other's pair of phases measurable.
        failed.add(g.label());
        b.results.notMeasured.put(NEIGHBOUR + " " + g.label(), "failed: " + e);
        b.log("%s %s FAILED: %s", NEIGHBOUR, g.label(), e);
      }
    }
    if (!failed.isEmpty()) {
      throw new IllegalStateException("failed: " + failed);
    }
  }

  private static void gateway(Bench b, Gateway g) throws IOException, InterruptedException {
    String label = g.label();
    String name = g.name();
    GatewayChild.Setup setup =
        new GatewayChild.Setup(name, "batch", "at-least-once", "bench." + name);
    Path dir = b.work.resolve("gw-" + name);
    try (GatewayChild gw =
        GatewayChild.start(
            b,
            setup,
            dir,
            b.kafka.bootstrapServers(),
            Profile.shippedDefault(),
            Map.of(),
            g.limits())) {
      b.log("gateway %s (%s) ready in %.2f s", name, label, gw.startToReadySeconds);
      wellBehaved(b, gw, name + "-warmup", warmUp(b), 1);
      SimChild.Result alone = wellBehaved(b, gw, name + "-alone", phase(b), 11);
      record(b, config(label, ALONE), alone);
      // The flood runs until the measured phase beside it is over; its devices' ids are apart.
      SimChild flood =
          SimChild.start(
              b,
              b.runId(name + "-flood"),
              gw.mqttPort(),
              new SimChild.Load(
                  1, 1, 0, 0, Duration.ofMinutes(5), Duration.ZERO, 101, References.IN_FLIGHT));
      boolean stopped = false;
      try {
        awaitFlooding(gw, flood);
        SimChild.Result beside = wellBehaved(b, gw, name + "-beside", phase(b), 21);
        flood.requestStop();
        stopped = true;
        SimChild.Result f = flood.result();
        String config = config(label, BESIDE);
        record(b, config, beside);
        double floodRate = f.acknowledged() / f.seconds();
        b.results.add(
            NEIGHBOUR,
            Results.EDGEGATE,
            config,
            1,
            1,
            "flood-acknowledged-rate",
            floodRate,
            "events/s");
        b.log(
            "neighbour %s: p99 alone %.1f ms, beside the flood %.1f ms (%.2f×); flood %.0f/s"
                + " acknowledged",
            label, alone.ackP99(), beside.ackP99(), beside.ackP99() / alone.ackP99(), floodRate);
      } finally {
        if (!stopped) {
          flood.stop();
        }
      }
    } finally {
      DirectoryTrees.deleteTree(dir);
    }
  }

  /** The well-behaved devices for one phase (ids from {@code firstDevice}). */
  private static SimChild.Result wellBehaved(
      Bench b, GatewayChild gw, String label, Duration length, int firstDevice)
      throws IOException, InterruptedException {
    return SimChild.run(
        b,
        b.runId(label),
        gw.mqttPort(),
        new SimChild.Load(
            DEVICES, 1, 0, DEVICE_RATE, length, Duration.ZERO, firstDevice, References.IN_FLIGHT));
  }

  /**
   * Until the flood's first burst has reached Kafka (nothing else publishes meanwhile): its JVM
   * start is not part of the phase beside it.
   */
  private static void awaitFlooding(GatewayChild gw, SimChild flood) throws InterruptedException {
    double base = gw.forwarded();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!flood.alive()) {
        throw new IllegalStateException("the flooding device's simulator ended before flooding");
      }
      double f = gw.forwarded();
      if (!Double.isNaN(f) && !Double.isNaN(base) && f - base >= PUBLISH_RATE) {
        return;
      }
      if (Double.isNaN(base)) {
        base = f;
      }
      Child.pause(50);
    }
    throw new IllegalStateException("the flooding device forwarded nothing within 60 s");
  }

  private static void record(Bench b, String config, SimChild.Result run) {
    Results r = b.results;
    r.add(NEIGHBOUR, Results.EDGEGATE, config, 1, DEVICES, "ack-p50", run.ackP50(), "ms");
    r.add(NEIGHBOUR, Results.EDGEGATE, config, 1, DEVICES, "ack-p99", run.ackP99(), "ms");
    r.add(NEIGHBOUR, Results.EDGEGATE, config, 1, DEVICES, "ack-max", run.ackMax(), "ms");
    r.add(
        NEIGHBOUR,
        Results.EDGEGATE,
        config,
        1,
        DEVICES,
        "acknowledged-rate",
        run.acknowledged() / run.seconds(),
        "events/s");
  }
}
