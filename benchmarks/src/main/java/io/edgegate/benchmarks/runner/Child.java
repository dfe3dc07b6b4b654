package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A child process of the runner (gateway, Kafka broker, simulator, Mosquitto, raw producer), its
 * output in files under the log directory. Called from the runner's thread.
 */
final class Child implements AutoCloseable {
  /** JVM flags the journal (Chronicle Queue) needs on JDK 17+, as in {@code bin/edgegate}. */
  private static final List<String> CHRONICLE_FLAGS =
      List.of(
          "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "-Dchronicle.analytics.disable=true",
          "-Dchronicle.announcer.disable=true");

  final String name;
  private final Process process;
  private final Path stdout;
  private final Path stderr;
  final long startedNanos;

  private Child(String name, Process process, Path stdout, Path stderr, long startedNanos) {
    this.name = name;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.startedNanos = startedNanos;
  }

  static Child start(String name, List<String> command, Path logDir) throws IOException {
    return start(name, command, java.util.Map.of(), logDir);
  }

  /** Starts {@code command} with {@code env} added to the runner's environment. */
  static Child start(
      String name, List<String> command, java.util.Map<String, String> env, Path logDir)
      throws IOException {
    Files.createDirectories(logDir);
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    long t0 = System.nanoTime();
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().putAll(env);
    Process p = pb.start();
    return new Child(name, p, out, err, t0);
  }

  /** A JVM command on the runner's class path, with the journal's flags and quiet logging. */
  static List<String> java(
      Path logbackConfig, List<String> jvmArgs, String main, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(CHRONICLE_FLAGS);
    if (Runtime.version().feature() >= 24) {
      cmd.add("--enable-native-access=ALL-UNNAMED");
      cmd.add("--sun-misc-unsafe-memory-access=allow");
    }
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-Dlogback.configurationFile=" + logbackConfig);
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(main);
    cmd.addAll(args);
    return cmd;
  }

  /** The runner's class path (under Failsafe, the test class path rather than its booter jar). */
  static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  /** JVM flags the runner itself was started with, for the record. */
  static List<String> runnerJvmArgs() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments();
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Waits until {@code condition} holds, polling every 20 ms; fails if the process exits first or
   * the timeout passes. Returns the nanoTime when the condition was first seen.
   */
  long await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return System.nanoTime();
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited (" + process.exitValue() + ") before " + what + ": " + tail(stderr()));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + ": no " + what + " within " + timeout);
      }
      pause(20);
    }
  }

  /** Waits until the process's standard output contains {@code text}. */
  long awaitOutput(String text, Duration timeout) {
    return await("'" + text + "' on its output", timeout, () -> stdout().contains(text));
  }

  /** Waits for the process to exit; kills it after the timeout. Returns the exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      throw new IllegalStateException(name + " did not finish within " + timeout);
    }
    return process.exitValue();
  }

  /** SIGTERM without waiting. */
  void signalStop() {
    process.destroy();
  }

  /** SIGKILL and wait: for a process whose orderly shutdown is of no interest. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then SIGKILL if it has not exited within the timeout. */
  void stop(Duration timeout) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    try {
      stop(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static String tail(String s) {
    return s.length() <= 2000 ? s : "…" + s.substring(s.length() - 2000);
  }

  /** A bounded pause between polls of a condition (never used as synchronisation on its own). */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
