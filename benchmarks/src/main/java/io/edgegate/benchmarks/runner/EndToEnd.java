package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway end to end: MQTT publish → journal → Kafka acknowledged, for each journal sync mode
 * (and exactly-once), QoS 1 and 0, each client count; then latency publish → Kafka at half the QoS
 * 1 maximum, and the process's heap and RSS.
 */
final class EndToEnd {
  static final String E2E = "e2e";
  static final String LATENCY = "latency";
  static final String FOOTPRINT = "footprint";

  /**
   * How often the forwarded counter is read: each read is a full Prometheus scrape, which costs the
   * gateway CPU (a few % of a load at 4/s; counted in its CPU figures).
   */
  static final long SAMPLE_MILLIS = 250;

  private EndToEnd() {}

  static List<GatewayChild.Setup> setups(Plan plan) {
    List<GatewayChild.Setup> s = new ArrayList<>();
    for (String sync : plan.syncModes()) {
      s.add(new GatewayChild.Setup(sync, sync, "at-least-once", "bench.e2e-" + sync));
    }
    if (plan.exactlyOnce()) {
      s.add(new GatewayChild.Setup("eos", "batch", "exactly-once", "bench.e2e-eos"));
    }
    return s;
  }

  static void run(Bench b) throws IOException, InterruptedException {
    List<String> failed = new ArrayList<>();
    for (GatewayChild.Setup setup : setups(b.plan)) {
      try {
        run(b, setup);
      } catch (IOException | RuntimeException e) {
        // One configuration failing (e.g. its gateway out of memory) leaves the others measurable.
        failed.add(setup.label());
        b.results.notMeasured.put(setup.label(), "failed: " + e);
        b.log("%s FAILED: %s", setup.label(), e);
      }
    }
    if (!failed.isEmpty()) {
      throw new IllegalStateException("failed: " + failed);
    }
  }

  /**
   * One gateway: QoS 1 loads, its footprint, latency at half the QoS 1 maximum, then QoS 0 loads
   * last (without flow control they can overload it).
   */
  private static void run(Bench b, GatewayChild.Setup setup)
      throws IOException, InterruptedException {
    Path dir = b.work.resolve("gw-" + setup.name());
    try (GatewayChild gw = GatewayChild.start(b, setup, dir, b.kafka.bootstrapServers())) {
      String config = setup.label();
      b.results.add(
          "startup", Results.EDGEGATE, config, 0, 0, "start-to-ready", gw.startToReadySeconds, "s");
      b.log("gateway %s ready in %.2f s", config, gw.startToReadySeconds);
      WarmUp.run(b, gw);
      loads(b, gw, 1);
      if (setup.name().equals("batch")) {
        inFlight(b, gw);
        Stages.run(b, gw);
      }
      double mib = 1048576.0;
      Results r = b.results;
      r.add(
          FOOTPRINT,
          Results.EDGEGATE,
          config,
          0,
          0,
          "heap-after-gc",
          ProcessProbe.heapAfterGcBytes(gw.pid()) / mib,
          "MiB");
      r.add(
          FOOTPRINT,
          Results.EDGEGATE,
          config,
          0,
          0,
          "rss",
          ProcessProbe.rssBytes(gw.pid()) / mib,
          "MiB");
      r.add(
          FOOTPRINT,
          Results.EDGEGATE,
          config,
          0,
          0,
          "rss-anonymous",
          ProcessProbe.rssAnonBytes(gw.pid()) / mib,
          "MiB");
      latency(b, gw);
      loads(b, gw, 0);
    } finally {
      DirectoryTrees.deleteTree(dir);
    }
  }

  private static void loads(Bench b, GatewayChild gw, int qos)
      throws IOException, InterruptedException {
    for (int clients : b.plan.clients()) {
      try {
        throughput(b, gw, qos, clients);
      } catch (RuntimeException e) {
        // One load failing (e.g. a gateway too busy to answer) leaves the others measurable.
        String what = "%s QoS %d %d clients".formatted(gw.setup.label(), qos, clients);
        b.results.notMeasured.put(what, "failed: " + e);
        b.log("%s FAILED: %s", what, e);
      }
    }
  }

  /** Config label of the load with a small in-flight window. */
  static String inFlightLabel(String config) {
    return config + ", in-flight " + IN_FLIGHT_SMALL;
  }

  /** The window of the small in-flight load (a device that waits for its acknowledgements). */
  static final int IN_FLIGHT_SMALL = 20;

  private static void inFlight(Bench b, GatewayChild gw) throws IOException, InterruptedException {
    try {
      throughput(b, gw, 1, 10, IN_FLIGHT_SMALL);
    } catch (RuntimeException e) {
      b.results.notMeasured.put(inFlightLabel(gw.setup.label()), "failed: " + e);
      b.log("%s in-flight FAILED: %s", gw.setup.label(), e);
    }
  }

  /** One load at full speed; the rate is what Kafka acknowledged, timed from the metric. */
  private static void throughput(Bench b, GatewayChild gw, int qos, int clients)
      throws IOException, InterruptedException {
    throughput(b, gw, qos, clients, References.IN_FLIGHT);
  }

  private static void throughput(Bench b, GatewayChild gw, int qos, int clients, int inFlight)
      throws IOException, InterruptedException {
    String config =
        inFlight == References.IN_FLIGHT ? gw.setup.label() : inFlightLabel(gw.setup.label());
    double f0 = gw.forwarded();
    if (Double.isNaN(f0)) {
      throw new IllegalStateException("the gateway's /metrics does not answer");
    }
    double gwCpu0 = gw.cpuSeconds();
    double gwSys0 = ProcessProbe.systemCpuSeconds(gw.pid());
    double kafkaCpu0 = b.kafka.cpuSeconds();
    SimChild sim =
        SimChild.start(
            b,
            b.runId("edgegate-" + gw.setup.name() + "-q" + qos + "-c" + clients + "-w" + inFlight),
            gw.mqttPort(),
            References.maxLoad(b, clients, qos, inFlight));
    ForwardedSamples samples = new ForwardedSamples(gw, f0);
    while (sim.alive()) {
      samples.take();
      Child.pause(SAMPLE_MILLIS);
    }
    SimChild.Result run = sim.result();
    long expected = qos == 0 ? run.written() : run.acknowledged();
    // Then until Kafka has everything (QoS 1), or nothing more comes for 2 s (QoS 0 may drop).
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline
        && samples.count() < expected
        && samples.sinceLastIncrease() < (qos == 0 ? 1e9 : 30e9)) {
      samples.take();
      Child.pause(SAMPLE_MILLIS);
    }
    double gwCpu = gw.cpuSeconds() - gwCpu0;
    double gwSys = ProcessProbe.systemCpuSeconds(gw.pid()) - gwSys0;
    double kafkaCpu = b.kafka.cpuSeconds() - kafkaCpu0;
    double forwarded = samples.count();
    Results r = b.results;
    r.add(E2E, Results.EDGEGATE, config, qos, clients, "throughput", samples.rate(), "events/s");
    r.add(E2E, Results.EDGEGATE, config, qos, clients, "ingest", run.rate(qos), "events/s");
    r.add(E2E, Results.EDGEGATE, config, qos, clients, "forwarded", forwarded, "events");
    r.add(E2E, Results.EDGEGATE, config, qos, clients, "sent-by-devices", expected, "events");
    r.add(
        E2E,
        Results.EDGEGATE,
        config,
        qos,
        clients,
        "cpu-per-million",
        gwCpu / forwarded * 1e6,
        "s");
    r.add(E2E, Results.EDGEGATE, config, qos, clients, "cpu-system-share", gwSys / gwCpu, "");
    r.add(
        E2E,
        Results.EDGEGATE,
        config,
        qos,
        clients,
        "kafka-cpu-per-million",
        kafkaCpu / forwarded * 1e6,
        "s");
    r.add(
        E2E,
        Results.EDGEGATE,
        config,
        qos,
        clients,
        "sim-cpu-per-million",
        run.cpuSeconds() / Math.max(1, expected) * 1e6,
        "s");
    if (qos == 1) {
      r.add(E2E, Results.EDGEGATE, config, qos, clients, "ack-p50", run.ackP50(), "ms");
      r.add(E2E, Results.EDGEGATE, config, qos, clients, "ack-p99", run.ackP99(), "ms");
    }
    b.log(
        "edgegate %s QoS %d, %d clients: %.0f events/s into Kafka (%.0f/s acked to devices),"
            + " %.2f CPU s per million",
        config, qos, clients, samples.rate(), run.rate(qos), gwCpu / forwarded * 1e6);
  }

  /** QoS 1 at half the maximum measured with the most clients: send → Kafka from the audit. */
  private static void latency(Bench b, GatewayChild gw) throws IOException, InterruptedException {
    String config = gw.setup.label();
    int clients = b.plan.maxClients();
    double max = b.results.value(E2E, Results.EDGEGATE, config, 1, clients, "throughput");
    double rate = Math.max(100, Math.floor(max / 2));
    SimChild.Result run =
        SimChild.run(
            b,
            b.runId("latency-" + gw.setup.name()),
            gw.mqttPort(),
            new SimChild.Load(clients, 1, rate, 0, b.plan.load(), Duration.ZERO, 1, 64));
    SimChild.Audit audit = SimChild.audit(b, run, b.kafka.bootstrapServers(), gw.setup.topic());
    Results r = b.results;
    r.add(LATENCY, Results.EDGEGATE, config, 1, clients, "rate", rate, "events/s");
    r.add(LATENCY, Results.EDGEGATE, config, 1, clients, "p50", audit.p50(), "ms");
    r.add(LATENCY, Results.EDGEGATE, config, 1, clients, "p99", audit.p99(), "ms");
    r.add(LATENCY, Results.EDGEGATE, config, 1, clients, "p99.9", audit.p999(), "ms");
    r.add(LATENCY, Results.EDGEGATE, config, 1, clients, "lost", audit.lost(), "events");
    r.add(
        LATENCY,
        Results.EDGEGATE,
        config,
        1,
        clients,
        "sync-interval",
        gw.syncIntervalMillis(),
        "ms");
    b.log(
        "edgegate %s at %.0f/s: publish → Kafka p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms, lost %d",
        config, rate, audit.p50(), audit.p99(), audit.p999(), audit.lost());
  }

  /** The gateway's forwarded counter over time: the rate while it rose. */
  static final class ForwardedSamples {
    private final java.util.function.DoubleSupplier counter;
    private final double base;
    private final long createdNanos = System.nanoTime();
    private long lastFlatNanos = createdNanos;
    private long lastIncreaseNanos = -1;
    private double last;

    ForwardedSamples(GatewayChild gw, double base) {
      this(gw::forwarded, base);
    }

    /** Any counter read by polling (NaN: no answer this time). */
    ForwardedSamples(java.util.function.DoubleSupplier counter, double base) {
      this.counter = counter;
      this.base = base;
      this.last = base;
    }

    void take() {
      double f = counter.getAsDouble();
      if (Double.isNaN(f)) {
        return; // no answer in time: the next sample tells
      }
      long now = System.nanoTime();
      if (f > last) {
        lastIncreaseNanos = now;
        last = f;
      } else if (lastIncreaseNanos < 0) {
        lastFlatNanos = now; // nothing forwarded yet: the window starts later
      }
    }

    double count() {
      return last - base;
    }

    double sinceLastIncrease() {
      return System.nanoTime() - (lastIncreaseNanos < 0 ? createdNanos : lastIncreaseNanos);
    }

    double rate() {
      return lastIncreaseNanos < 0 ? 0 : count() / ((lastIncreaseNanos - lastFlatNanos) / 1e9);
    }
  }
}
