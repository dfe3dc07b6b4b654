package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Warms a freshly started gateway up before its measured loads: QoS 1 at full speed with the most
 * clients, in windows, until CPU per forwarded event is stable (two successive windows within the
 * plan's tolerance) or the plan's bound is reached. Each window is recorded, so the report can say
 * what the start costs: the first 10 s of a fresh JVM are what a restart after a power cut costs.
 */
final class WarmUp {
  static final String WARMUP = "warmup";

  /** The cost of the first seconds after a start is taken over this long (or the whole warm-up). */
  static final double FIRST_SECONDS = 10;

  private WarmUp() {}

  /** One window: events forwarded, CPU seconds of the gateway, its length. */
  record Window(double events, double cpu, double seconds) {
    double cpuPerMillion() {
      return cpu / events * 1e6;
    }
  }

  /**
   * Waits (at most 60 s) for the gateway's first forwarded event under {@code sim}: {forwarded, CPU
   * seconds, nanoTime} at that moment.
   */
  static double[] firstEvent(GatewayChild gw, SimChild sim) {
    double f0 = gw.forwarded();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (sim.alive() && System.nanoTime() < deadline) {
      double f = gw.forwarded();
      if (f > f0) {
        return new double[] {f, gw.cpuSeconds(), System.nanoTime()};
      }
      Child.pause(20);
    }
    throw new IllegalStateException("no event forwarded within 60 s of the load's start");
  }

  static void run(Bench b, GatewayChild gw) throws IOException, InterruptedException {
    int clients = b.plan.maxClients();
    String config = gw.setup.label();
    SimChild.Load load =
        new SimChild.Load(
            clients,
            1,
            0,
            0,
            b.plan.warmUpMax().plusSeconds(5),
            java.time.Duration.ZERO,
            1,
            References.IN_FLIGHT);
    SimChild sim = SimChild.start(b, b.runId("warmup-" + gw.setup.name()), gw.mqttPort(), load);
    List<Window> windows = new ArrayList<>();
    long windowNanos = b.plan.warmUpWindow().toNanos();
    boolean stable = false;
    try {
      // The windows start with the first forwarded event (the simulator's JVM takes a while).
      double[] first = firstEvent(gw, sim);
      double f = first[0];
      double c = first[1];
      long t0 = (long) first[2];
      long t = t0;
      while (sim.alive() && System.nanoTime() - t0 < b.plan.warmUpMax().toNanos()) {
        Child.pause(Math.max(10, (t + windowNanos - System.nanoTime()) / 1_000_000));
        double f1 = gw.forwarded();
        if (Double.isNaN(f1)) {
          continue; // no answer: this window goes on
        }
        double c1 = gw.cpuSeconds();
        long t1 = System.nanoTime();
        windows.add(new Window(f1 - f, c1 - c, (t1 - t) / 1e9));
        f = f1;
        c = c1;
        t = t1;
        if (windows.size() >= 3) { // the first window holds the connects
          Window prev = windows.get(windows.size() - 2);
          Window last = windows.get(windows.size() - 1);
          double change = Math.abs(last.cpuPerMillion() / prev.cpuPerMillion() - 1);
          if (last.events() > 0 && change <= b.plan.warmUpTolerance()) {
            stable = true;
            break;
          }
        }
      }
    } finally {
      sim.requestStop();
      try {
        sim.result();
      } catch (IOException | RuntimeException e) {
        b.log("warm-up simulator: %s", e.getMessage()); // its figures are not used
      }
    }
    // Let the gateway forward what it holds before the measured loads begin.
    EndToEnd.ForwardedSamples rest = new EndToEnd.ForwardedSamples(gw, gw.forwarded());
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline && rest.sinceLastIncrease() < 1e9) {
      rest.take();
      Child.pause(100);
    }
    Results r = b.results;
    double seconds = 0;
    double firstEvents = 0;
    double firstCpu = 0;
    double firstSeconds = 0;
    for (int i = 0; i < windows.size(); i++) {
      Window w = windows.get(i);
      r.add(
          WARMUP,
          Results.EDGEGATE,
          config,
          1,
          clients,
          "window-" + (i + 1) + "-cpu-per-million",
          w.cpuPerMillion(),
          "s");
      r.add(
          WARMUP,
          Results.EDGEGATE,
          config,
          1,
          clients,
          "window-" + (i + 1) + "-rate",
          w.events() / w.seconds(),
          "events/s");
      if (seconds < FIRST_SECONDS - 0.5) {
        firstEvents += w.events();
        firstCpu += w.cpu();
        firstSeconds += w.seconds();
      }
      seconds += w.seconds();
    }
    Window warm = windows.isEmpty() ? new Window(0, 0, 0) : windows.get(windows.size() - 1);
    r.add(WARMUP, Results.EDGEGATE, config, 1, clients, "seconds", seconds, "s");
    r.add(WARMUP, Results.EDGEGATE, config, 1, clients, "windows", windows.size(), "");
    r.add(WARMUP, Results.EDGEGATE, config, 1, clients, "stable", stable ? 1 : 0, "");
    r.add(WARMUP, Results.EDGEGATE, config, 1, clients, "first-seconds", firstSeconds, "s");
    r.add(
        WARMUP,
        Results.EDGEGATE,
        config,
        1,
        clients,
        "first-cpu-per-million",
        firstCpu / firstEvents * 1e6,
        "s");
    r.add(
        WARMUP,
        Results.EDGEGATE,
        config,
        1,
        clients,
        "first-rate",
        firstEvents / firstSeconds,
        "events/s");
    r.add(
        WARMUP,
        Results.EDGEGATE,
        config,
        1,
        clients,
        "warm-cpu-per-million",
        warm.cpuPerMillion(),
        "s");
    r.add(
        WARMUP,
        Results.EDGEGATE,
        config,
        1,
        clients,
        "warm-rate",
        warm.events() / warm.seconds(),
        "events/s");
    b.log(
        "edgegate %s warm-up: %s after %.0f s (%d windows); first %.0f s %.1f CPU s/M, warm %.1f",
        config,
        stable ? "stable" : "not stable",
        seconds,
        windows.size(),
        firstSeconds,
        firstCpu / firstEvents * 1e6,
        warm.cpuPerMillion());
  }
}
