package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Many connected devices, mostly idle (one event a minute each), a few active carrying most of the
 * rate: resident memory and heap per device, the gateway against Mosquitto under the same load.
 */
final class Scale {
  static final String SCALE = "scale";
  private static final double IDLE_RATE = 1.0 / 60;

  private Scale() {}

  static void run(Bench b) throws IOException, InterruptedException {
    for (int devices : b.plan.scaleDevices()) {
      if (b.mosquitto.isPresent() && !b.quick) { // quick: the gateway's figures only
        try (MosquittoChild m = MosquittoChild.start(b, b.mosquitto.get(), "mosquitto-scale")) {
          long rss0 = m.rssBytes();
          Footprint f = underLoad(b, "mosquitto", m.port, m.pid(), devices, false);
          add(b, Results.MOSQUITTO, "", devices, rss0, -1, f);
        }
      }
      for (Profile profile : b.profiles) {
        gateway(b, profile, devices);
      }
    }
  }

  /**
   * One gateway deployed with {@code profile}: idle, then with the idle devices connected (heap per
   * idle connection), then with the active devices carrying the rate as well (RSS, heap).
   */
  private static void gateway(Bench b, Profile profile, int devices)
      throws IOException, InterruptedException {
    GatewayChild.Setup setup =
        new GatewayChild.Setup(
            "scale-" + profile.name() + "-" + devices, "batch", "at-least-once", "bench.scale");
    Path dir = b.work.resolve("gw-" + setup.name());
    String config = profile.name();
    int active = Math.min(b.plan.scaleActive(), devices);
    int idle = devices - active;
    Duration ramp = Duration.ofMillis(Math.max(500, idle)); // 1,000 connections a second
    Duration settle = Duration.ofMillis(Math.max(1000, b.plan.load().toMillis() / 2));
    // Long enough for a slow start of the simulator; stopped once measured.
    Duration activeLength = settle.multipliedBy(3).plus(Duration.ofSeconds(60));
    Results r = b.results;
    try (GatewayChild gw =
        GatewayChild.start(
            b, setup, dir, b.kafka.bootstrapServers(), profile, java.util.Map.of())) {
      r.add(
          "startup",
          Results.EDGEGATE,
          "gateway for " + devices + " devices (" + profile.name() + ")",
          0,
          0,
          "start-to-ready",
          gw.startToReadySeconds,
          "s");
      long heap0 = ProcessProbe.heapAfterGcBytes(gw.pid());
      long rss0 = ProcessProbe.rssBytes(gw.pid());
      long fds0 = openFiles(gw.pid());
      SimChild idleSim =
          idle == 0
              ? null
              : SimChild.start(
                  b,
                  b.runId("edgegate-" + profile.name() + "-idle-" + devices),
                  gw.mqttPort(),
                  new SimChild.Load(
                      idle,
                      1,
                      0,
                      IDLE_RATE,
                      ramp.plus(settle).plus(activeLength).plus(Duration.ofSeconds(20)),
                      ramp,
                      active + 1,
                      8));
      SimChild activeSim = null;
      try {
        long deadline = System.nanoTime() + ramp.plusSeconds(60).toNanos();
        while (openFiles(gw.pid()) < connected(fds0, idle) && System.nanoTime() < deadline) {
          Child.pause(200);
        }
        Child.pause(settle.toMillis());
        long heapIdle = ProcessProbe.heapAfterGcBytes(gw.pid());
        long rssIdle = ProcessProbe.rssBytes(gw.pid());
        double f0 = gw.forwarded();
        long t0 = System.nanoTime();
        activeSim =
            SimChild.start(
                b,
                b.runId("edgegate-" + profile.name() + "-active-" + devices),
                gw.mqttPort(),
                new SimChild.Load(
                    active, 1, b.plan.scaleRate(), 0, activeLength, Duration.ZERO, 1, 64));
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((openFiles(gw.pid()) < connected(fds0, devices) || !(gw.forwarded() > f0))
            && System.nanoTime() < deadline) {
          Child.pause(200);
        }
        boolean all = openFiles(gw.pid()) >= connected(fds0, devices);
        Child.pause(settle.toMillis());
        // The rate over the settled window only (the simulator's JVM start is not in it).
        f0 = gw.forwarded();
        t0 = System.nanoTime();
        Child.pause(settle.toMillis());
        long rss = ProcessProbe.rssBytes(gw.pid());
        long anon = ProcessProbe.rssAnonBytes(gw.pid());
        long heap = ProcessProbe.heapAfterGcBytes(gw.pid());
        double rate = (gw.forwarded() - f0) / ((System.nanoTime() - t0) / 1e9);
        activeSim.requestStop(); // measured: the rest of its planned length is not needed
        SimChild.Result a = activeSim.result();
        add(
            b,
            Results.EDGEGATE,
            config,
            devices,
            rss0,
            heap0,
            new Footprint(rss, anon, heap, a.rate(1)));
        r.add(SCALE, Results.EDGEGATE, config, 1, devices, "forwarded-rate", rate, "events/s");
        if (idle > 0) {
          r.add(
              SCALE,
              Results.EDGEGATE,
              config,
              1,
              devices,
              "heap-idle-connections",
              heapIdle / 1048576.0,
              "MiB");
          r.add(
              SCALE,
              Results.EDGEGATE,
              config,
              1,
              devices,
              "rss-idle-connections",
              rssIdle / 1048576.0,
              "MiB");
          r.add(
              SCALE,
              Results.EDGEGATE,
              config,
              1,
              devices,
              "heap-per-idle-connection",
              (heapIdle - heap0) / 1024.0 / idle,
              "KiB");
          r.add(
              SCALE,
              Results.EDGEGATE,
              config,
              1,
              devices,
              "rss-per-idle-connection",
              (rssIdle - rss0) / 1024.0 / idle,
              "KiB");
        }
        b.log(
            "edgegate (%s) with %d devices%s: RSS %.0f MiB, heap %.1f MiB; %d idle: %.2f KiB heap"
                + " each; %.0f events/s forwarded",
            profile.name(),
            devices,
            all ? "" : " (not all connected in time)",
            rss / 1048576.0,
            heap / 1048576.0,
            idle,
            (heapIdle - heap0) / 1024.0 / Math.max(1, idle),
            rate);
      } finally {
        if (activeSim != null) {
          activeSim.stop();
        }
        if (idleSim != null) {
          idleSim.stop();
        }
      }
    } finally {
      DirectoryTrees.deleteTree(dir);
    }
  }

  /** Resident memory (all, and anonymous: without the journal's mapped pages), heap, ingest. */
  record Footprint(long rss, long rssAnon, long heap, double rate) {}

  /**
   * Connects the idle and the active devices (two simulators), waits until the process holds a
   * socket for each, and measures it while the load runs.
   */
  private static Footprint underLoad(
      Bench b, String system, int port, long pid, int devices, boolean heap)
      throws IOException, InterruptedException {
    int active = Math.min(b.plan.scaleActive(), devices);
    int idle = devices - active;
    Duration ramp = Duration.ofMillis(Math.max(500, devices)); // 1,000 connections a second
    Duration length = ramp.plus(b.plan.load()).plus(Duration.ofSeconds(b.quick ? 2 : 5));
    SimChild idleSim =
        idle == 0
            ? null
            : SimChild.start(
                b,
                b.runId(system + "-idle-" + devices),
                port,
                new SimChild.Load(idle, 1, 0, IDLE_RATE, length, ramp, active + 1, 8));
    SimChild activeSim =
        SimChild.start(
            b,
            b.runId(system + "-active-" + devices),
            port,
            new SimChild.Load(active, 1, b.plan.scaleRate(), 0, length, Duration.ZERO, 1, 64));
    try {
      long deadline = System.nanoTime() + length.toNanos();
      while (openFiles(pid) < devices && System.nanoTime() < deadline) {
        Child.pause(200);
      }
      boolean all = openFiles(pid) >= devices;
      // Settle under load for half the load time, then measure.
      Child.pause(b.plan.load().toMillis() / 2);
      long rss = ProcessProbe.rssBytes(pid);
      long anon = ProcessProbe.rssAnonBytes(pid);
      long h = heap ? ProcessProbe.heapAfterGcBytes(pid) : -1;
      SimChild.Result a = activeSim.result();
      if (idleSim != null) {
        idleSim.result();
      }
      b.log(
          "%s with %d devices%s: RSS %.0f MiB%s, active devices acknowledged %.0f/s",
          system,
          devices,
          all ? "" : " (not all connected in time)",
          rss / 1048576.0,
          heap ? String.format(" heap %.1f MiB", h / 1048576.0) : "",
          a.rate(1));
      return new Footprint(rss, anon, h, a.rate(1));
    } finally {
      if (idleSim != null) {
        idleSim.stop();
      }
      activeSim.stop();
    }
  }

  private static void add(
      Bench b, String system, String config, int devices, long rss0, long heap0, Footprint f) {
    Results r = b.results;
    r.add(SCALE, system, config, 1, devices, "rss", f.rss / 1048576.0, "MiB");
    r.add(SCALE, system, config, 1, devices, "rss-anonymous", f.rssAnon / 1048576.0, "MiB");
    r.add(SCALE, system, config, 1, devices, "rss-idle", rss0 / 1048576.0, "MiB");
    r.add(
        SCALE,
        system,
        config,
        1,
        devices,
        "rss-per-device",
        (f.rss - rss0) / 1024.0 / devices,
        "KiB");
    r.add(SCALE, system, config, 1, devices, "ingest", f.rate, "events/s");
    if (heap0 >= 0) {
      r.add(SCALE, system, config, 1, devices, "heap-after-gc", f.heap / 1048576.0, "MiB");
      r.add(SCALE, system, config, 1, devices, "heap-idle", heap0 / 1048576.0, "MiB");
      r.add(
          SCALE,
          system,
          config,
          1,
          devices,
          "heap-per-device",
          (f.heap - heap0) / 1024.0 / devices,
          "KiB");
    }
  }

  /**
   * Open files once {@code n} devices are connected, give or take a few: files the idle process had
   * open may have closed meanwhile (a jcmd attach socket, a Kafka connection).
   */
  private static long connected(long fds0, int n) {
    return fds0 + n - Math.max(5, n / 100);
  }

  static long openFiles(long pid) {
    return ProcessProbe.openFiles(pid);
  }
}
