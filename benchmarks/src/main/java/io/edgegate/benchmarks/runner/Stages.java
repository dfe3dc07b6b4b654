package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * CPU and allocation by stage of a warm gateway: one more QoS 1 load with the most clients,
 * recorded by JFR (outside the measured windows, so that the recording does not weigh on them),
 * threads grouped by name.
 */
final class Stages {
  static final String STAGES = "stages";

  private Stages() {}

  static void run(Bench b, GatewayChild gw) throws IOException, InterruptedException {
    int clients = b.plan.maxClients();
    String config = gw.setup.label();
    double f0 = gw.forwarded();
    StageProfile profile;
    try {
      profile = StageProfile.start(b, gw.pid(), gw.setup.name());
    } catch (RuntimeException e) {
      b.results.notMeasured.put("CPU by stage", "failed: " + e);
      return;
    }
    SimChild.Result run;
    List<StageProfile.Stage> stages;
    double cpu;
    double seconds;
    double forwarded;
    try {
      run =
          SimChild.run(
              b,
              b.runId("stages-" + gw.setup.name()),
              gw.mqttPort(),
              References.maxLoad(b, clients, 1));
      EndToEnd.ForwardedSamples samples = new EndToEnd.ForwardedSamples(gw, f0);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline
          && samples.count() < run.acknowledged()
          && samples.sinceLastIncrease() < 5e9) {
        samples.take();
        Child.pause(EndToEnd.SAMPLE_MILLIS);
      }
      forwarded = samples.count();
      cpu = profile.processCpuSeconds();
      seconds = profile.seconds();
    } finally {
      profile.close();
    }
    stages = profile.stop();
    Results r = b.results;
    r.add(STAGES, Results.EDGEGATE, config, 1, clients, "forwarded", forwarded, "events");
    r.add(STAGES, Results.EDGEGATE, config, 1, clients, "process-cpu", cpu, "s");
    r.add(STAGES, Results.EDGEGATE, config, 1, clients, "seconds", seconds, "s");
    double allocated = 0;
    for (StageProfile.Stage s : stages) {
      r.add(STAGES, Results.EDGEGATE, s.name(), 1, clients, "cpu", s.cpuSeconds(), "s");
      r.add(STAGES, Results.EDGEGATE, s.name(), 1, clients, "allocated", s.allocatedBytes(), "B");
      allocated += s.allocatedBytes();
    }
    r.add(
        STAGES,
        Results.EDGEGATE,
        config,
        1,
        clients,
        "allocated-per-event",
        allocated / forwarded,
        "B");
    b.log(
        "edgegate %s stages: %d thread groups, %.0f bytes allocated per forwarded event",
        config, stages.size(), allocated / forwarded);
  }
}
