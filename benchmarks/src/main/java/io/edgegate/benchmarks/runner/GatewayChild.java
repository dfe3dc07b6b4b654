package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  private GatewayChild(
      Setup setup, int mqttPort, int adminPort, Child child, double startToReady, double reported) {
    this.setup = setup;
    this.mqttPort = mqttPort;
    this.adminPort = adminPort;
    this.child = child;
    this.startToReadySeconds = startToReady;
    this.reportedReadySeconds = reported;
  }

  static GatewayChild start(Bench bench, Setup setup, Path dataDir, String kafka)
      throws IOException {
    return start(bench, setup, dataDir, kafka, FreePorts.one(), FreePorts.one());
  }

  private static GatewayChild start(
      Bench bench, Setup setup, Path dataDir, String kafka, int mqttPort, int adminPort)
      throws IOException {
    Files.createDirectories(dataDir);
    Path config = dataDir.resolve("gateway.yaml");
    Files.writeString(
        config,
        """
        gateway: {id: bench-%s, dataDir: '%s'}
        mqtt: {host: 127.0.0.1, port: %d, auth: {anonymous: true}}
        journal: {sync: %s}
        kafka: {bootstrapServers: '%s', topic: %s}
        forward: {delivery: %s}
        admin: {host: 127.0.0.1, port: %d, refreshInterval: 200ms}
        """
            .formatted(
                setup.name,
                dataDir,
                mqttPort,
                setup.sync,
                kafka,
                setup.topic,
                setup.delivery,
                adminPort));
    List<String> jvm = new ArrayList<>(bench.gatewayJvmArgs());
    if (bench.jfr) {
      jvm.add(
          "-XX:StartFlightRecording=settings=profile,filename="
              + bench.logDir.resolve("gateway-" + setup.name + ".jfr"));
    }
    // Through the product's launcher, as users start it (its JVM flags, class data sharing); the
    // launcher execs the JVM, so the child's pid is the gateway's for the /proc figures.
    Child child =
        Child.start(
            "gateway-" + setup.name,
            List.of(launcher().toString(), "run", "--config", config.toString()),
            java.util.Map.of(
                "JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", String.join(" ", jvm)),
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
        setup, mqttPort, adminPort, child, (ready - child.startedNanos) / 1e9, reported);
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
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
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
