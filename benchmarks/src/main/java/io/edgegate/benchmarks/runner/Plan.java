package io.edgegate.benchmarks.runner;

import java.time.Duration;
import java.util.List;

/**
 * How much of each scenario a run does: the full run (about ten minutes) or {@code --quick} (under
 * a minute: one configuration each, short loads, fewer devices and journal events).
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
    long journalEvents) {

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
        10_000_000);
  }

  static Plan quick() {
    return new Plan(
        Duration.ofSeconds(2),
        List.of(10),
        List.of("batch"),
        false,
        List.of(300),
        10,
        1_000,
        1_000,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        50_000);
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
        journalEvents);
  }

  int maxClients() {
    return clients.get(clients.size() - 1);
  }
}
