package io.edgegate.benchmarks.runner;

import java.time.Duration;
import java.util.List;

/**
 * How much of each scenario a run does: the full run (about 25 minutes on 2 shared cores) or {@code
 * --quick} (about 2 minutes: one configuration, short loads and warm-ups, fewer devices and journal
 * events).
 *
 * @param warmUpWindow length of each warm-up window: CPU per event is compared window to window
 * @param warmUpMax the longest a gateway is warmed up before its measured loads
 * @param warmUpTolerance warm when two successive windows' CPU per event differ by at most this
 * @param coldLoad load right after a (re)start: what the first seconds of a fresh JVM cost
 * @param replayRecords records the raw producer replays from the gateway's topic
 */
record Plan(
    Duration load,
    List<Integer> clients,
    List<String> syncModes,
    boolean exactlyOnce,
    List<Integer> scaleDevices,
    int scaleActive,
    double scaleRate,
    double outageRate,
    Duration outageWarmUp,
    Duration outage,
    long journalEvents,
    Duration warmUpWindow,
    Duration warmUpMax,
    double warmUpTolerance,
    Duration coldLoad,
    int replayRecords) {

  static Plan full() {
    return new Plan(
        Duration.ofSeconds(15),
        List.of(10, 100),
        List.of("none", "batch", "always"),
        true,
        List.of(1_000, 10_000),
        100,
        10_000,
        2_000,
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        10_000_000,
        Duration.ofSeconds(5),
        Duration.ofSeconds(60),
        0.05,
        Duration.ofSeconds(10),
        150_000);
  }

  static Plan quick() {
    return new Plan(
        Duration.ofSeconds(2),
        List.of(10, 100),
        List.of("batch"),
        false,
        List.of(300),
        10,
        1_000,
        1_000,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        50_000,
        Duration.ofSeconds(1),
        Duration.ofSeconds(4),
        0.10,
        Duration.ofSeconds(3),
        30_000);
  }

  /** The same plan with another length for each load (e.g. longer, for a profile). */
  Plan withLoad(Duration d) {
    return new Plan(
        d,
        clients,
        syncModes,
        exactlyOnce,
        scaleDevices,
        scaleActive,
        scaleRate,
        outageRate,
        outageWarmUp,
        outage,
        journalEvents,
        warmUpWindow,
        warmUpMax,
        warmUpTolerance,
        coldLoad,
        replayRecords);
  }

  int maxClients() {
    return clients.get(clients.size() - 1);
  }
}
