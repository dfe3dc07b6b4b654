package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What every scenario of one run shares: the plan, the directories, the Kafka broker process, the
 * results. Used from the runner's thread only.
 */
final class Bench {
  /** Payload bytes of every event and record, for every system. */
  static final int PAYLOAD = 100;

  final Plan plan;
  final boolean quick;
  final boolean jfr;
  final Path out;
  final Path work;
  final Path logDir;
  final Path simRuns;
  final Path logback;
  final Results results;
  final Optional<Path> mosquitto;
  private final long t0 = System.nanoTime();
  KafkaProcess kafka;

  /** How the gateways of the memory and cold-start scenarios are deployed (default first). */
  List<Profile> profiles = List.of(Profile.shippedDefault());

  private int runs;

  Bench(Plan plan, boolean quick, boolean jfr, Path out, Path work, Optional<Path> mosquitto)
      throws IOException {
    this(plan, quick, jfr, out, work, mosquitto, new Results());
  }

  Bench(
      Plan plan,
      boolean quick,
      boolean jfr,
      Path out,
      Path work,
      Optional<Path> mosquitto,
      Results results)
      throws IOException {
    this.results = results;
    this.plan = plan;
    this.quick = quick;
    this.jfr = jfr;
    this.out = out;
    this.work = work;
    this.logDir = work.resolve("logs");
    this.simRuns = work.resolve("sim-runs");
    this.mosquitto = mosquitto;
    Files.createDirectories(logDir);
    Files.createDirectories(simRuns);
    this.logback = work.resolve("logback-children.xml");
    Files.writeString(
        logback,
        """
        <configuration>
          <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
            <target>System.err</target>
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n</pattern></encoder>
          </appender>
          <root level="WARN"><appender-ref ref="ERR"/></root>
        </configuration>
        """);
    // The audit runs in this JVM: the same quiet logging (read when logging first starts).
    System.setProperty("logback.configurationFile", logback.toString());
  }

  List<String> java(List<String> jvmArgs, String main, List<String> args) {
    return Child.java(logback, jvmArgs, main, args);
  }

  String runId(String label) {
    return String.format(Locale.ROOT, "%02d-%s", ++runs, label);
  }

  void log(String format, Object... args) {
    System.out.printf(
        Locale.ROOT,
        "[%5.1fs] %s%n",
        (System.nanoTime() - t0) / 1e9,
        String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
