package io.edgegate.benchmarks.runner;

import io.edgegate.kafka.embedded.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway as a child JVM, started the way {@code bin/edgegate run --config FILE} starts it,
 * with its own journal directory and topic. Called from the runner's thread.
 */
final class GatewayChild implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern READY = Pattern.compile("ready in ([0-9.]+) s");

  /** What a gateway is configured with. */
  record Setup(String name, String sync, String delivery, String topic) {
    String label() {
      return "exactly-once".equals(delivery) ? "exactly-once (sync " + sync + ")" : "sync " + sync;
    }
  }

  final Setup setup;
  private final int mqttPort;
  private final int adminPort;
  private final Child child;

  /** Wall seconds from process start until it printed that it is ready. */
  final double startToReadySeconds;

  /** The start time the gateway itself reports (configuration loaded to ready). */
  final double reportedReadySeconds;

  /** The configuration file it runs with. */
  final Path config;

  private GatewayChild(
      Setup setup,
      Path config,
      int mqttPort,
      int adminPort,
      Child child,
      double startToReady,
      double reported) {
    this.setup = setup;
    this.config = config;
    this.mqttPort = mqttPort;
    this.adminPort = adminPort;
    this.child = child;
    this.startToReadySeconds = startToReady;
    this.reportedReadySeconds = reported;
  }

  static GatewayChild start(Bench bench, Setup setup, Path dataDir, String kafka)
      throws IOException {
    return start(bench, setup, dataDir, kafka, Profile.shippedDefault(), Map.of());
  }

  /**
   * A gateway deployed as {@code profile} says, with {@code env} added to its environment (e.g.
   * {@code EDGEGATE_CDS=off}); its topic is created first with the broker's append time as the
   * record timestamp, so that latency ends where the raw producer's does.
   */
  static GatewayChild start(
      Bench bench,
      Setup setup,
      Path dataDir,
      String kafka,
      Profile profile,
      Map<String, String> env)
      throws IOException {
    return start(bench, setup, dataDir, kafka, profile, env, "");
  }

  /** With a scenario's own settings laid over the configuration last ({@code scenarioYaml}). */
  static GatewayChild start(
      Bench bench,
      Setup setup,
      Path dataDir,
      String kafka,
      Profile profile,
      Map<String, String> env,
      String scenarioYaml)
      throws IOException {
    int mqttPort = FreePorts.one();
    int adminPort = FreePorts.one();
    Files.createDirectories(dataDir);
    Topics.create(kafka, setup.topic());
    Path config =
        GatewayConfigFile.write(
            dataDir.resolve("gateway.yaml"),
            profile,
            setup,
            dataDir,
            kafka,
            mqttPort,
            adminPort,
            scenarioYaml);
    Map<String, String> environment = new LinkedHashMap<>(profile.env());
    environment.putAll(env);
    List<String> jvm = new ArrayList<>();
    if (environment.containsKey("JAVA_OPTS")) {
      jvm.add(environment.get("JAVA_OPTS"));
    }
    if (bench.jfr) {
      jvm.add(
          "-XX:StartFlightRecording=settings=profile,filename="
              + bench.logDir.resolve("gateway-" + setup.name() + ".jfr"));
    }
    if (!jvm.isEmpty()) {
      environment.put("JAVA_OPTS", String.join(" ", jvm));
    }
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    // Through the product's launcher, as users start it (its JVM flags, class data sharing); the
    // launcher execs the JVM, so the child's pid is the gateway's for the /proc figures.
    Child child =
        Child.start(
            "gateway-" + setup.name(),
            List.of(launcher().toString(), "run", "--config", config.toString()),
            environment,
            bench.logDir);
    long ready;
    try {
      ready = child.awaitOutput("ready in", Duration.ofSeconds(300));
    } catch (RuntimeException e) {
      child.close();
      throw e;
    }
    Matcher m = READY.matcher(child.stdout());
    double reported = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    return new GatewayChild(
        setup, config, mqttPort, adminPort, child, (ready - child.startedNanos) / 1e9, reported);
  }

  /** {@code bin/edgegate} of the checkout the runner works in (from the working directory up). */
  static Path launcher() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path launcher = d.resolve("bin/edgegate");
      if (Files.isExecutable(launcher)
          && Files.exists(d.resolve("gateway/target/edgegate-gateway.jar"))) {
        return launcher;
      }
    }
    throw new IllegalStateException(
        "bin/edgegate with a built gateway not found above " + Path.of("").toAbsolutePath());
  }

  int mqttPort() {
    return mqttPort;
  }

  long pid() {
    return child.pid();
  }

  /** A path on its admin server (no login: the runner's gateways run without admin.auth). */
  URI admin(String path) {
    return URI.create("http://127.0.0.1:" + adminPort + path);
  }

  double cpuSeconds() {
    return ProcessProbe.cpuSeconds(child.pid());
  }

  /**
   * Sum of a metric over its label sets, from {@code /metrics}; NaN when the gateway does not
   * answer within 10 s (an overloaded gateway: the caller samples again).
   */
  double metric(String name) {
    String body;
    try {
      body =
          HTTP.send(
                  HttpRequest.newBuilder(admin("/metrics")).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
    } catch (IOException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
            .matcher(body);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      sum += Double.parseDouble(m.group(2));
      found = true;
    }
    return found ? sum : 0;
  }

  /** {@code journal.syncInterval} of its configuration in ms (the gateway's default if unset). */
  double syncIntervalMillis() {
    double ms = GatewayConfigFile.millis(config, "journal", "syncInterval");
    return Double.isNaN(ms)
        ? new io.edgegate.gateway.config.JournalConfig().syncInterval.toMillis()
        : ms;
  }

  double forwarded() {
    return metric("edgegate_events_forwarded_total");
  }

  double backlog() {
    return metric("edgegate_backlog_events");
  }

  /** SIGKILL: no orderly shutdown (the gateway would first forward or save what it holds). */
  void kill() throws InterruptedException {
    child.kill();
  }

  @Override
  public void close() {
    child.close();
  }
}
