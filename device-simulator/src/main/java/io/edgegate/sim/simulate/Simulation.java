package io.edgegate.sim.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.sim.Version;
import io.edgegate.sim.payload.BinaryStamp;
import io.edgegate.sim.payload.PayloadSource;
import io.edgegate.sim.payload.Payloads;
import io.edgegate.sim.record.RunDirectory;
import io.edgegate.sim.record.RunRecord;
import io.edgegate.sim.scenario.BurstSettings;
import io.edgegate.sim.scenario.PayloadSettings;
import io.edgegate.sim.scenario.Scenario;
import io.edgegate.sim.scenario.ScenarioException;
import io.edgegate.sim.scenario.ScenarioJson;
import io.edgegate.sim.scenario.Values;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of a scenario: creates the devices, connects them (ramp-up), lets the {@link Pacer}
 * publish until the duration or count is reached or {@link #stop} is called, churns connections,
 * prints a progress line a second, then waits for in-flight outcomes, disconnects, closes the ack
 * record and writes the final {@link RunRecord}.
 *
 * <p>Threads: the pacer ({@code sim-pacer}), one scheduler ({@code sim-scheduler}: ramp-up, churn,
 * progress) and the HiveMQ client's shared Netty and callback threads; none per device. {@link
 * #run} is called once, from one thread; {@link #stop} from any.
 */
public final class Simulation {
  private static final long RAMP_TICK_MILLIS = 10;
  private static final long DISCONNECT_TIMEOUT_SECONDS = 10;

  private final Scenario scenario;
  private final String runId;
  private final RunDirectory directory;
  private final PrintStream out;
  private final boolean progress;
  private final Clock clock;
  private volatile Pacer pacer;
  private volatile boolean stopRequested;

  public Simulation(
      Scenario scenario,
      String runId,
      RunDirectory directory,
      PrintStream out,
      boolean progress,
      Clock clock) {
    this.scenario = scenario;
    this.runId = runId;
    this.directory = directory;
    this.out = out;
    this.progress = progress;
    this.clock = clock;
  }

  /** Any thread: stop publishing; {@link #run} then drains, disconnects and returns. */
  public void stop() {
    stopRequested = true;
    Pacer p = pacer;
    if (p != null) {
      p.requestStop();
    }
  }

  /**
   * Runs the scenario to its end. If the calling thread is interrupted, publishing stops, the
   * devices are still disconnected and the record written, and the thread's interrupt flag is set
   * again on return.
   */
  public SimulationResult run() throws IOException {
    checkPayloadFitsStamp();
    MqttLinks links = new MqttLinks(scenario); // TLS stores are read here: fail before recording
    int n = scenario.devices.count;
    RunCounters counters = new RunCounters();
    RateSchedule schedule = new RateSchedule(scenario.rate, scenario.bursts);
    BurstLog burstLog = new BurstLog(schedule.bursts());
    long durationNanos = scenario.duration == null ? Long.MAX_VALUE : scenario.duration.toNanos();
    Pacer pacer = new Pacer(schedule, counters, burstLog, durationNanos, n, scenario.count != null);
    this.pacer = pacer;
    AckLatencies latencies = new AckLatencies(counters);
    RunRecord record = newRecord();
    directory.writeRecord(record);

    List<SimDevice> devices = new ArrayList<>(n);
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sim-scheduler");
              t.setDaemon(true);
              return t;
            });
    AckLog ackLog = new AckLog(directory.ackFile());
    try {
      RunContext run =
          new RunContext(
              runId,
              scenario.mqtt.qos,
              scenario.count == null ? Long.MAX_VALUE : scenario.count,
              counters,
              ackLog,
              pacer);
      SplittableRandom seeds =
          scenario.seed == null ? new SplittableRandom() : new SplittableRandom(scenario.seed);
      for (int i = 0; i < n; i++) {
        String id = DeviceIds.id(scenario.devices, i);
        PayloadSource payloads = Payloads.forDevice(scenario.payload, seeds.split());
        SimDevice d = new SimDevice(id, scenario.devices.inFlight, run, payloads);
        d.link(links.create(id, payloads.contentType(), d));
        devices.add(d);
      }
      out.println(describe());

      long start = System.nanoTime();
      pacer.markStart(start);
      Thread pacerThread = new Thread(pacer, "sim-pacer");
      pacerThread.setDaemon(true);
      if (stopRequested) {
        pacer.requestStop();
      }
      pacerThread.start();
      ScheduledFuture<?> ramp = scheduleRampUp(scheduler, devices, start);
      ScheduledFuture<?> churn = scheduleChurn(scheduler, devices);
      ProgressPrinter printer = new ProgressPrinter(out, counters, latencies, schedule, n, start);
      ScheduledFuture<?> progressTask =
          progress ? scheduler.scheduleAtFixedRate(printer::print, 1, 1, TimeUnit.SECONDS) : null;
      boolean interrupted = joinUninterruptibly(pacerThread, pacer);
      long stoppedPublishing = System.nanoTime();
      ramp.cancel(false);
      if (churn != null) {
        churn.cancel(false);
      }
      int connectedAtEnd = counters.connected.get();

      if (!interrupted) {
        drain(counters, stoppedPublishing);
      }
      if (progressTask != null) {
        progressTask.cancel(false);
      }
      quiesce(scheduler); // no progress line after this point, nor a late churn
      run.stopping(true);
      disconnectAll(devices);
      for (SimDevice d : devices) {
        d.finish();
      }
      ackLog.close();
      double seconds = (stoppedPublishing - start) / 1e9;
      finishRecord(record, counters.snapshot(), ackLog, pacer);
      directory.writeRecord(record);
      List<SimulationResult.BurstReport> bursts = burstReports(burstLog);
      SimulationResult result =
          new SimulationResult(record, directory, seconds, connectedAtEnd, bursts);
      new RunSummary(out, scenario, result, latencies.total(), burstLog.dropped()).print();
      if (interrupted) {
        Thread.currentThread().interrupt(); // cleaned up; the caller still learns of it
      }
      return result;
    } finally {
      pacer.requestStop(); // after a failure: nothing goes on publishing
      scheduler.shutdownNow();
      ackLog.closeQuietly(); // after a failure: the file is released, the record says "running"
    }
  }

  private String describe() {
    var m = scenario.mqtt;
    String rate =
        scenario.rate.total != null && scenario.rate.perDevice == null
            ? Numbers.rate(scenario.rate.total) + " total"
            : Numbers.rate(scenario.rate.effectivePerDevice())
                + " per device"
                + (scenario.rate.total == null
                    ? ""
                    : ", at most " + Numbers.rate(scenario.rate.total));
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "edgegate-sim: run %s%s: %s devices -> %s://%s:%d (MQTT %s, QoS %d), %s payload, %s",
            runId,
            scenario.name.isEmpty() ? "" : " (" + scenario.name + ")",
            Numbers.count(scenario.devices.count),
            m.tls.enabled ? "mqtts" : "mqtt",
            m.host,
            m.port,
            m.isMqtt5() ? "5" : "3.1.1",
            m.qos,
            scenario.payload.profile.name().toLowerCase(Locale.ROOT),
            rate));
    if (scenario.duration != null) {
      b.append(", for ").append(Values.format(scenario.duration));
    }
    if (scenario.count != null) {
      b.append(", ").append(Numbers.count(scenario.count)).append(" messages each");
    }
    if (!scenario.devices.rampUp.isZero()) {
      b.append(", ramp-up ").append(Values.format(scenario.devices.rampUp));
    }
    for (BurstSettings burst : scenario.bursts) {
      b.append(", burst ").append(burst);
    }
    if (scenario.churn.enabled()) {
      b.append(
          String.format(
              Locale.ROOT,
              ", churn %.0f%% every %s",
              scenario.churn.fraction * 100,
              Values.format(scenario.churn.every)));
    }
    return b.toString();
  }

  private ScheduledFuture<?> scheduleRampUp(
      ScheduledExecutorService scheduler, List<SimDevice> devices, long start) {
    AtomicInteger next = new AtomicInteger();
    long rampNanos = scenario.devices.rampUp.toNanos();
    int n = devices.size();
    return scheduler.scheduleAtFixedRate(
        () -> {
          long elapsed = System.nanoTime() - start;
          int due =
              rampNanos == 0 ? n : (int) Math.min(n, (long) ((double) elapsed / rampNanos * n) + 1);
          for (int i = next.get(); i < due; i++) {
            devices.get(i).connect();
          }
          next.set(Math.max(next.get(), due));
        },
        0,
        RAMP_TICK_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  private ScheduledFuture<?> scheduleChurn(
      ScheduledExecutorService scheduler, List<SimDevice> devices) {
    var c = scenario.churn;
    if (!c.enabled()) {
      return null;
    }
    SplittableRandom random =
        scenario.seed == null ? new SplittableRandom() : new SplittableRandom(scenario.seed + 1);
    long every = c.every.toMillis();
    return scheduler.scheduleAtFixedRate(
        () -> {
          List<SimDevice> connected = new ArrayList<>();
          for (SimDevice d : devices) {
            if (d.isConnected()) {
              connected.add(d);
            }
          }
          int k = (int) Math.round(c.fraction * connected.size());
          // Partial Fisher-Yates: k distinct devices chosen at random.
          for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(connected.size() - i);
            SimDevice chosen = connected.get(j);
            connected.set(j, connected.get(i));
            chosen.churn(c.downtime.toMillis(), c.withWill);
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Waits for the pacer to end. An interrupt stops it (and is reported afterwards) rather than
   * leaving it and the devices running.
   */
  private static boolean joinUninterruptibly(Thread pacerThread, Pacer pacer) {
    boolean interrupted = false;
    while (true) {
      try {
        pacerThread.join();
        return interrupted;
      } catch (InterruptedException e) {
        interrupted = true;
        pacer.requestStop();
      }
    }
  }

  private static void quiesce(ScheduledExecutorService scheduler) {
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the outcomes of publishes in flight, at most {@code drainTimeout}. */
  private void drain(RunCounters counters, long from) {
    long deadline = from + scenario.drainTimeout.toNanos();
    while (counters.snapshot().inFlight() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private void disconnectAll(List<SimDevice> devices) {
    CompletableFuture<?>[] all =
        devices.stream().map(SimDevice::disconnect).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(all).get(DISCONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Devices that did not say goodbye in time are left to the process exit.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void checkPayloadFitsStamp() {
    PayloadSettings p = scenario.payload;
    if (p.profile != PayloadSettings.Profile.FIXED) {
      return;
    }
    int header = BinaryStamp.size(runId, DeviceIds.longest(scenario.devices));
    if (p.fixedSize() < header) {
      throw new ScenarioException(
          "scenario",
          List.of(
              "payload.size: "
                  + p.fixedSize()
                  + " bytes cannot hold the "
                  + header
                  + "-byte stamp of this run's ids"));
    }
  }

  private RunRecord newRecord() {
    RunRecord r = new RunRecord();
    r.runId = runId;
    r.name = scenario.name;
    r.simulator = Version.get();
    r.status = RunRecord.STATUS_RUNNING;
    r.startedAt = Instant.now(clock).toString();
    r.broker =
        (scenario.mqtt.tls.enabled ? "mqtts://" : "mqtt://")
            + scenario.mqtt.host
            + ":"
            + scenario.mqtt.port;
    r.mqttVersion = scenario.mqtt.version;
    r.qos = scenario.mqtt.qos;
    r.devices = scenario.devices.count;
    r.topic = scenario.devices.topic;
    r.payload = scenario.payload.profile.name().toLowerCase(Locale.ROOT);
    ObjectNode tree = ScenarioJson.masked(scenario);
    r.scenario = tree;
    return r;
  }

  private void finishRecord(RunRecord r, RunCounters.Snapshot s, AckLog ackLog, Pacer pacer) {
    r.status = RunRecord.STATUS_FINISHED;
    r.stopReason = pacer.stopReason() == null ? null : pacer.stopReason().text;
    r.finishedAt = Instant.now(clock).toString();
    r.totals.sent = s.sent();
    // From the ack record itself, so that the two always agree.
    r.totals.acknowledged = ackLog.acknowledged();
    r.totals.written = s.written();
    r.totals.failed = s.failed();
    r.totals.late = Math.max(0, s.sent() - s.acknowledged() - s.written() - s.failed());
    r.totals.connects = s.connects();
    r.totals.connectFailures = s.connectFailures();
    r.totals.drops = s.drops();
    r.totals.churned = s.churned();
    r.totals.ackRanges = ackLog.ranges();
  }

  private static List<SimulationResult.BurstReport> burstReports(BurstLog log) {
    List<SimulationResult.BurstReport> reports = new ArrayList<>();
    for (BurstLog.Occurrence o : log.occurrences()) {
      reports.add(
          new SimulationResult.BurstReport(
              o.burst + 1,
              o.occurrence,
              o.startSeconds(),
              o.settings.factor,
              o.sent,
              o.targetRate(),
              o.achievedRate()));
    }
    return reports;
  }
}
