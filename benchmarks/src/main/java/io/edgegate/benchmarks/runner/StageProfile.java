package io.edgegate.benchmarks.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * CPU and allocation of a running gateway by stage: a flight recording ({@code jcmd JFR.start}) of
 * per-thread CPU load and per-thread allocated bytes, sampled each second, read back with {@code
 * jfr print --json} and summed over threads grouped by name. Called from the runner's thread.
 */
final class StageProfile implements AutoCloseable {
  /** The JDK whose {@code jfr} tool reads the recording (a newer one reads older recordings). */
  private static final List<Path> JFR_TOOLS =
      List.of(
          Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr"),
          Path.of(System.getProperty("java.home"), "bin", "jfr"));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NUMBERED = Pattern.compile("([- #]?\\d+)+$");

  /** Thread-name prefixes of the gateway's stages, in the order the report lists them. */
  static final Map<String, String> STAGES = new LinkedHashMap<>();

  static {
    STAGES.put("vert.x-eventloop", "MQTT ingest (vert.x-eventloop-*)");
    STAGES.put("edgegate-journal-writer", "journal writer (edgegate-journal-writer)");
    STAGES.put("edgegate-journal-reader", "journal reader (edgegate-journal-reader)");
    STAGES.put("edgegate-forward", "sender (edgegate-forward*)");
    STAGES.put("edgegate-sender", "sender (edgegate-sender*)");
    STAGES.put(
        "kafka-producer-network-thread", "Kafka producer I/O (kafka-producer-network-thread)");
    STAGES.put("vert.x-worker", "Vert.x workers (vert.x-worker-*)");
    STAGES.put("vert.x-internal-blocking", "Vert.x internal blocking");
    STAGES.put("C1 CompilerThread", "JIT compiler threads");
    STAGES.put("C2 CompilerThread", "JIT compiler threads");
  }

  /** One stage: CPU seconds and bytes allocated over the recording. */
  record Stage(String name, double cpuSeconds, double allocatedBytes) {}

  private final long pid;
  private final Path file;
  private final double cpu0;
  private final long t0 = System.nanoTime();

  private StageProfile(long pid, Path file) {
    this.pid = pid;
    this.file = file;
    this.cpu0 = ProcessProbe.cpuSeconds(pid);
  }

  /** Starts recording the process's threads. */
  static StageProfile start(Bench b, long pid, String label) throws IOException {
    Path jfc = b.work.resolve("stages.jfc");
    Files.writeString(
        jfc,
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <configuration version="2.0" label="EdgeGate benchmark stages">
          <event name="jdk.ThreadCPULoad">
            <setting name="enabled">true</setting>
            <setting name="period">1 s</setting>
          </event>
          <event name="jdk.ThreadAllocationStatistics">
            <setting name="enabled">true</setting>
            <setting name="period">1 s</setting>
          </event>
        </configuration>
        """);
    Path file = b.logDir.resolve("stages-" + label + ".jfr");
    String out =
        ProcessProbe.jcmd(
            pid, "JFR.start", "name=bench-stages", "settings=" + jfc, "filename=" + file);
    if (!out.contains("Started recording")) {
      throw new IllegalStateException("JFR.start: " + Child.tail(out));
    }
    return new StageProfile(pid, file);
  }

  /** The process's own CPU seconds since the start (from /proc). */
  double processCpuSeconds() {
    return ProcessProbe.cpuSeconds(pid) - cpu0;
  }

  double seconds() {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Stops the recording and sums it by stage (largest CPU first). */
  List<Stage> stop() throws IOException {
    close();
    Path tool = JFR_TOOLS.stream().filter(Files::isExecutable).findFirst().orElseThrow();
    Path json = file.resolveSibling(file.getFileName() + ".json");
    Process p =
        new ProcessBuilder(
                tool.toString(),
                "print",
                "--json",
                "--events",
                "jdk.ThreadCPULoad,jdk.ThreadAllocationStatistics",
                file.toString())
            .redirectOutput(json.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("jfr print of " + file + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    JsonNode events = JSON.readTree(json.toFile()).path("recording").path("events");
    Files.deleteIfExists(json);
    int cores = Runtime.getRuntime().availableProcessors();
    Map<String, Double> cpu = new TreeMap<>();
    Map<String, long[]> alloc = new TreeMap<>(); // per thread: first and last cumulative value
    Map<String, String> stageOfThread = new TreeMap<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (JsonNode e : events) {
      JsonNode v = e.path("values");
      if (e.path("type").asText().equals("jdk.ThreadCPULoad")) {
        JsonNode t = v.path("eventThread");
        String thread = t.path("javaName").asText("?");
        // A thread's first sample covers the time before the recording: left out. Each later one
        // is its share of the whole machine over the sampling period (1 s).
        if (seen.add(thread + "#" + t.path("javaThreadId").asText())) {
          continue;
        }
        double load = v.path("user").asDouble() + v.path("system").asDouble();
        cpu.merge(stage(thread), load * cores, Double::sum);
      } else {
        JsonNode t = v.path("thread");
        String thread = t.path("javaName").asText("?") + "#" + t.path("javaThreadId").asText();
        stageOfThread.put(thread, stage(t.path("javaName").asText("?")));
        long a = v.path("allocated").asLong();
        alloc.merge(thread, new long[] {a, a}, (x, y) -> new long[] {x[0], y[1]});
      }
    }
    Map<String, Double> bytes = new TreeMap<>();
    alloc.forEach((t, a) -> bytes.merge(stageOfThread.get(t), (double) (a[1] - a[0]), Double::sum));
    Map<String, Stage> stages = new TreeMap<>();
    for (String s : cpu.keySet()) {
      stages.put(s, new Stage(s, cpu.get(s), bytes.getOrDefault(s, 0.0)));
    }
    for (String s : bytes.keySet()) {
      stages.putIfAbsent(s, new Stage(s, 0, bytes.get(s)));
    }
    return stages.values().stream()
        .sorted((x, y) -> Double.compare(y.cpuSeconds(), x.cpuSeconds()))
        .toList();
  }

  /** The stage a thread belongs to: a known prefix, else its name without the numbering. */
  static String stage(String thread) {
    for (Map.Entry<String, String> s : STAGES.entrySet()) {
      if (thread.startsWith(s.getKey())) {
        return s.getValue();
      }
    }
    if (thread.toLowerCase(java.util.Locale.ROOT).contains("sender")) {
      return "sender (" + NUMBERED.matcher(thread).replaceAll("") + ")";
    }
    return "other: " + NUMBERED.matcher(thread).replaceAll("");
  }

  @Override
  public void close() {
    ProcessProbe.jcmd(pid, "JFR.stop", "name=bench-stages", "filename=" + file);
  }
}
