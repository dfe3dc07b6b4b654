package io.edgegate.benchmarks.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.sim.cli.SimCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the device simulator ({@code edgegate-sim run}) as a child JVM: the load generator for
 * both Mosquitto and the gateway, so both see exactly the same load. Called from the runner's
 * thread.
 */
final class SimChild {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern AFTER = Pattern.compile("after ([0-9.]+) s");
  private static final Pattern ACK =
      Pattern.compile(
          "ack latency\\s+p50 ([0-9.]+) ms\\s+p90 [0-9.]+ ms\\s+p99 ([0-9.]+) ms\\s+p99\\.9 ([0-9.]+) ms(?:\\s+max ([0-9.]+) ms)?");

  /**
   * A load: {@code totalRate} 0 = as fast as the windows allow; {@code perDeviceRate} 0 = unset.
   */
  record Load(
      int devices,
      int qos,
      double totalRate,
      double perDeviceRate,
      Duration duration,
      Duration rampUp,
      int firstDevice,
      int inFlight) {
    String describe() {
      String rate =
          totalRate > 0
              ? String.format(Locale.ROOT, "%.0f/s in total", totalRate)
              : perDeviceRate > 0
                  ? String.format(Locale.ROOT, "%.3g/s per device", perDeviceRate)
                  : "max";
      return devices
          + " devices, QoS "
          + qos
          + ", rate "
          + rate
          + ", "
          + duration.toSeconds()
          + " s";
    }
  }

  /** What a finished run did, from its record and summary. */
  record Result(
      String runId,
      String startedAt,
      long sent,
      long acknowledged,
      long written,
      long failed,
      double seconds,
      double ackP50,
      double ackP99,
      double ackP999,
      double ackMax,
      double cpuSeconds) {
    /** Acknowledged (QoS 1) or written (QoS 0) per second. */
    double rate(int qos) {
      return (qos == 0 ? written : acknowledged) / seconds;
    }
  }

  private final Bench bench;
  private final String runId;
  private final Load load;
  private final Child child;
  private double lastCpu;
  private volatile boolean stopRequested;

  private SimChild(Bench bench, String runId, Load load, Child child) {
    this.bench = bench;
    this.runId = runId;
    this.load = load;
    this.child = child;
  }

  static SimChild start(Bench bench, String runId, int port, Load load) throws IOException {
    return start(bench, runId, port, load, List.of());
  }

  /** With further simulator options (e.g. churn). */
  static SimChild start(Bench bench, String runId, int port, Load load, List<String> more)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("run", "-H", "127.0.0.1", "-p", Integer.toString(port)));
    args.addAll(List.of("-q", Integer.toString(load.qos), "-n", Integer.toString(load.devices)));
    args.addAll(List.of("--first-device", Integer.toString(load.firstDevice)));
    args.addAll(List.of("--in-flight", Integer.toString(load.inFlight)));
    args.addAll(List.of("--payload", "fixed", "--payload-size", Integer.toString(Bench.PAYLOAD)));
    if (load.totalRate > 0) {
      args.addAll(List.of("-R", String.format(Locale.ROOT, "%.0f", load.totalRate)));
    } else if (load.perDeviceRate > 0) {
      args.addAll(List.of("-r", String.format(Locale.ROOT, "%.6f", load.perDeviceRate)));
    } else {
      args.addAll(List.of("-R", "max"));
    }
    args.addAll(List.of("-d", load.duration.toMillis() + "ms"));
    if (!load.rampUp.isZero()) {
      args.addAll(List.of("--ramp-up", load.rampUp.toMillis() + "ms"));
    }
    args.addAll(List.of("--drain-timeout", "20s", "--seed", "7"));
    args.addAll(more);
    args.addAll(
        List.of("--run-id", runId, "--runs-dir", bench.simRuns.toString(), "--no-progress"));
    Child child =
        Child.start(
            "sim-" + runId,
            bench.java(List.of("-Xmx1g"), "io.edgegate.sim.cli.SimCommand", args),
            bench.logDir);
    return new SimChild(bench, runId, load, child);
  }

  /** Runs a load to its end. */
  static Result run(Bench bench, String runId, int port, Load load)
      throws IOException, InterruptedException {
    try {
      return start(bench, runId, port, load).result();
    } catch (IllegalStateException e) {
      // A machine too busy to accept a connection in time: once more, then the failure stands.
      if (!String.valueOf(e.getMessage()).contains("no device could connect")) {
        throw e;
      }
      bench.log("simulator run %s: no device could connect; trying once more", runId);
      return start(bench, runId + "-again", port, load).result();
    }
  }

  long pid() {
    return child.pid();
  }

  boolean alive() {
    return child.alive();
  }

  /** Asks the run to stop publishing (SIGTERM); {@link #result} then reports it. */
  void requestStop() {
    stopRequested = true;
    child.signalStop();
  }

  /** Stops the run if it still runs, waiting for it (cleanup after a failure). */
  void stop() throws InterruptedException {
    stopRequested = true;
    child.stop(Duration.ofSeconds(60));
  }

  /** Waits for the run to end (its CPU is sampled meanwhile: /proc is gone after the exit). */
  Result result() throws IOException, InterruptedException {
    Duration limit =
        load.duration.plus(load.rampUp).plus(Duration.ofSeconds(90 + load.devices / 200));
    long deadline = System.nanoTime() + limit.toNanos();
    while (child.alive() && System.nanoTime() < deadline) {
      double cpu = ProcessProbe.cpuSeconds(child.pid());
      if (!Double.isNaN(cpu)) {
        lastCpu = cpu;
      }
      Child.pause(100);
    }
    int exit = child.awaitExit(Duration.ofSeconds(5));
    if (exit != 0 && !(stopRequested && exit == 143)) { // 143: exit after SIGTERM
      throw new IllegalStateException(
          "simulator run " + runId + " exited with " + exit + ": " + Child.tail(child.stderr()));
    }
    JsonNode record = JSON.readTree(bench.simRuns.resolve(runId).resolve("run.json").toFile());
    JsonNode t = record.path("totals");
    String out = child.stdout();
    Matcher after = AFTER.matcher(out);
    double seconds = after.find() ? Double.parseDouble(after.group(1)) : load.duration.toSeconds();
    Matcher ack = ACK.matcher(out);
    boolean acks = ack.find();
    return new Result(
        runId,
        record.path("startedAt").asText(),
        t.path("sent").asLong(),
        t.path("acknowledged").asLong(),
        t.path("written").asLong(),
        t.path("failed").asLong(),
        seconds,
        acks ? Double.parseDouble(ack.group(1)) : Double.NaN,
        acks ? Double.parseDouble(ack.group(2)) : Double.NaN,
        acks ? Double.parseDouble(ack.group(3)) : Double.NaN,
        acks && ack.group(4) != null ? Double.parseDouble(ack.group(4)) : Double.NaN,
        lastCpu);
  }

  /** Send → Kafka latency of a finished run, from the simulator's audit (ms: p50, p99, p99.9). */
  record Audit(long received, long lost, long duplicates, double p50, double p99, double p999) {}

  /** Runs in this JVM (no second JVM start to wait for); its table goes to the log directory. */
  static Audit audit(Bench bench, Result run, String kafka, String topic) throws IOException {
    Path json = bench.simRuns.resolve(run.runId).resolve("audit.json");
    List<String> args =
        List.of(
            "audit",
            "--run-id",
            run.runId,
            "--runs-dir",
            bench.simRuns.toString(),
            "-b",
            kafka,
            "-k",
            topic,
            "--from",
            run.startedAt,
            "--wait",
            "30s",
            "--json",
            json.toString());
    Path log = bench.logDir.resolve("audit-" + run.runId + ".out");
    int exit;
    try (PrintStream out =
        new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
      exit = SimCommand.commandLine(out, out).execute(args.toArray(String[]::new));
    }
    if (!Files.exists(json)) {
      throw new IllegalStateException(
          "audit of "
              + run.runId
              + " exited with "
              + exit
              + ": "
              + Child.tail(Files.readString(log)));
    }
    JsonNode r = JSON.readTree(json.toFile()).path("runs").path(0);
    JsonNode l = r.path("latencyMs");
    return new Audit(
        r.path("received").asLong(),
        r.path("lost").asLong(),
        r.path("duplicates").asLong(),
        l.path("p50").asDouble(Double.NaN),
        l.path("p99").asDouble(Double.NaN),
        l.path("p99.9").asDouble(Double.NaN));
  }
}
