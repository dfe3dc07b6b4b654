package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What an open web console costs the hot path: one gateway (the Raspberry Pi profile when the run
 * has it), warmed up, then the same QoS 1 load at full speed twice — console closed, then open
 * ({@link ConsoleViewer}: the stream held, the overview polled every second). A build without the
 * console's endpoints is recorded as not measured. Called from the runner's thread.
 */
final class Console {
  static final String CONSOLE = "console";
  static final String CLOSED = "console closed";
  static final String OPEN = "console open";
  static final String NO_ENDPOINTS = "not measured: no console endpoints";
  static final int CLIENTS = 10;

  private Console() {}

  /** The results' config label: the profile and whether the console was open. */
  static String config(String profile, boolean open) {
    return profile + ", " + (open ? OPEN : CLOSED);
  }

  static void run(Bench b) throws IOException, InterruptedException {
    Profile profile =
        b.profiles.stream()
            .filter(p -> p.name().equals(Profile.RASPBERRY_PI))
            .findFirst()
            .orElse(b.profiles.get(0));
    GatewayChild.Setup setup =
        new GatewayChild.Setup(CONSOLE, "batch", "at-least-once", "bench." + CONSOLE);
    Path dir = b.work.resolve("gw-" + CONSOLE);
    try (GatewayChild gw =
        GatewayChild.start(b, setup, dir, b.kafka.bootstrapServers(), profile, Map.of())) {
      int overview = ConsoleViewer.status(gw.admin(ConsoleViewer.OVERVIEW));
      if (overview == 404) {
        b.results.notMeasured.put(CONSOLE, NO_ENDPOINTS);
        b.log("console: %s (GET %s answered 404)", NO_ENDPOINTS, ConsoleViewer.OVERVIEW);
        return;
      }
      if (overview != 200) {
        throw new IllegalStateException("GET " + ConsoleViewer.OVERVIEW + " answered " + overview);
      }
      WarmUp.run(b, gw);
      load(b, gw, config(profile.name(), false));
      try (ConsoleViewer viewer = ConsoleViewer.open(gw::admin)) {
        awaitFirstEvent(viewer);
        long events0 = viewer.events();
        long polls0 = viewer.polls();
        long failed0 = viewer.failedPolls();
        String config = config(profile.name(), true);
        load(b, gw, config);
        Results r = b.results;
        r.add(
            CONSOLE,
            Results.EDGEGATE,
            config,
            1,
            CLIENTS,
            "stream-events",
            viewer.events() - events0,
            "events");
        r.add(
            CONSOLE,
            Results.EDGEGATE,
            config,
            1,
            CLIENTS,
            "overview-polls",
            viewer.polls() - polls0,
            "requests");
        r.add(
            CONSOLE,
            Results.EDGEGATE,
            config,
            1,
            CLIENTS,
            "overview-polls-failed",
            viewer.failedPolls() - failed0,
            "requests");
      }
    } finally {
      DirectoryTrees.deleteTree(dir);
    }
  }

  /** The page is open once its first overview arrived on the stream. */
  private static void awaitFirstEvent(ConsoleViewer viewer) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (viewer.events() == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no event on " + ConsoleViewer.STREAM + " within 15 s of opening it");
      }
      Child.pause(50);
    }
  }

  /**
   * One load at full speed: Kafka-acknowledged rate from the metric, the gateway's CPU per event.
   */
  private static void load(Bench b, GatewayChild gw, String config)
      throws IOException, InterruptedException {
    double f0 = gw.forwarded();
    if (Double.isNaN(f0)) {
      throw new IllegalStateException("the gateway's /metrics does not answer");
    }
    double cpu0 = gw.cpuSeconds();
    SimChild sim =
        SimChild.start(
            b,
            b.runId(CONSOLE + "-" + (config.endsWith(OPEN) ? "open" : "closed")),
            gw.mqttPort(),
            References.maxLoad(b, CLIENTS, 1));
    EndToEnd.ForwardedSamples samples = new EndToEnd.ForwardedSamples(gw, f0);
    while (sim.alive()) {
      samples.take();
      Child.pause(EndToEnd.SAMPLE_MILLIS);
    }
    SimChild.Result run = sim.result();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline
        && samples.count() < run.acknowledged()
        && samples.sinceLastIncrease() < 30e9) {
      samples.take();
      Child.pause(EndToEnd.SAMPLE_MILLIS);
    }
    double cpu = gw.cpuSeconds() - cpu0;
    double forwarded = samples.count();
    Results r = b.results;
    r.add(CONSOLE, Results.EDGEGATE, config, 1, CLIENTS, "throughput", samples.rate(), "events/s");
    r.add(CONSOLE, Results.EDGEGATE, config, 1, CLIENTS, "forwarded", forwarded, "events");
    r.add(
        CONSOLE,
        Results.EDGEGATE,
        config,
        1,
        CLIENTS,
        "cpu-per-million",
        cpu / forwarded * 1e6,
        "s");
    b.log(
        "console %s: %.0f events/s into Kafka, %.2f CPU s per million",
        config, samples.rate(), cpu / forwarded * 1e6);
  }
}
