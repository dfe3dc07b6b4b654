package io.edgegate.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as a separate JVM process (the way it runs in production), so tests can kill it with
 * SIGKILL. It runs the real command line, {@code edgegate run --config FILE}, on the test's class
 * path with the test JVM's module flags (those the journal needs).
 */
final class GatewayProcess implements AutoCloseable {
  private final Process process;
  private final Path stdout;

  private GatewayProcess(Process process, Path stdout) {
    this.process = process;
    this.stdout = stdout;
  }

  /**
   * Writes a configuration for a gateway process to {@code file}: anonymous MQTT on {@code port},
   * data in {@code dataDir}, Kafka at {@code bootstrapServers} (topic {@link TestGateway#TOPIC})
   * with short retries, no admin server; {@code extra} adds top-level YAML lines.
   */
  static Path writeConfig(
      Path file, String id, Path dataDir, int port, String bootstrapServers, String... extra)
      throws IOException {
    String yaml =
        """
        gateway: {id: %s, dataDir: '%s'}
        mqtt: {host: 127.0.0.1, port: %d, auth: {anonymous: true}}
        kafka: {bootstrapServers: '%s', topic: %s}
        forward: {retryBackoffMax: 1s, metadataTimeout: 2s}
        admin: {enabled: false}
        """
            .formatted(id, dataDir, port, bootstrapServers, TestGateway.TOPIC);
    return Files.writeString(file, yaml + String.join("\n", extra) + "\n");
  }

  /** Starts the gateway and waits until it printed that it is ready. */
  static GatewayProcess start(Path configFile, Path logDir, String name) throws IOException {
    Files.createDirectories(logDir);
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-")
          || arg.startsWith("-Dchronicle.")
          || arg.startsWith("--enable-native-access")
          || arg.startsWith("--sun-misc")) {
        cmd.add(arg);
      }
    }
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add("io.edgegate.gateway.cli.EdgeGateCommand");
    cmd.add("run");
    cmd.add("--config");
    cmd.add(configFile.toString());
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    GatewayProcess gp = new GatewayProcess(p, out);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !p.isAlive() || Files.readString(out).contains("ready in"));
    } catch (RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
    if (!p.isAlive()) {
      throw new IllegalStateException(
          "gateway exited with " + p.exitValue() + ": " + Files.readString(err));
    }
    return gp;
  }

  /**
   * Starts the gateway the way it is deployed, through the launcher ({@code bin/edgegate run}) of
   * the source checkout, with its memory flags and class data sharing, and waits until it is ready.
   * {@code env} adds variables (e.g. EDGEGATE_MEMORY_PROFILE, JAVA_OPTS).
   */
  static GatewayProcess startWithLauncher(
      Path configFile, Path logDir, String name, java.util.Map<String, String> env)
      throws IOException {
    Files.createDirectories(logDir);
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    ProcessBuilder pb =
        new ProcessBuilder(
                Distribution.ROOT.resolve("bin/edgegate").toString(),
                "run",
                "--config",
                configFile.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    Process p = pb.start();
    GatewayProcess gp = new GatewayProcess(p, out);
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !p.isAlive() || Files.readString(out).contains("ready in"));
    } catch (RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
    if (!p.isAlive()) {
      throw new IllegalStateException(
          "gateway exited with " + p.exitValue() + ": " + Files.readString(err));
    }
    return gp;
  }

  /** The gateway's log (its standard error). */
  String stderr() throws IOException {
    return Files.readString(
        stdout.resolveSibling(stdout.getFileName().toString().replace(".out", ".err")));
  }

  /** SIGKILL: no shutdown hook, no flush, no checkpoint save. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait; returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("gateway did not stop within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  String stdout() throws IOException {
    return Files.readString(stdout);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
