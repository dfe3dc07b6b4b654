package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.config.ConfigKeys;
import io.edgegate.kafka.embedded.FreePorts;
import io.edgegate.testsupport.GatewayHygiene;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway as it is deployed, without a Docker engine: the distribution tarball has
 * what the image and the systemd unit expect, and the image's start command, run directly from the
 * unpacked tarball as a separate process, reports ready, stops cleanly on SIGTERM (exit 0, nothing
 * acknowledged lost) and exits at once on a second SIGTERM.
 */
@ExtendWith(GatewayHygiene.class)
class DistributionIT {
  private static final Path DOCKERFILE = Distribution.ROOT.resolve("Dockerfile");
  private static final String IMAGE_HOME = "/opt/edgegate";
  private static final String IMAGE_CONFIG = "/etc/edgegate";
  private static final String IMAGE_DATA = "/var/lib/edgegate";

  @TempDir Path dir;

  /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
  private static List<String> instructions() throws Exception {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(DOCKERFILE)) {
      String t = line.strip();
      if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
      } else {
        current.append(t);
        out.add(current.toString().strip());
        current.setLength(0);
      }
    }
    return out;
  }

  private static String last(String keyword) throws Exception {
    String found = null;
    for (String i : instructions()) {
      if (i.startsWith(keyword + " ")) {
        found = i.substring(keyword.length() + 1).strip();
      }
    }
    if (found == null) {
      throw new AssertionError("the Dockerfile has no " + keyword);
    }
    return found;
  }

  /** ENTRYPOINT and CMD (exec form), with the image's paths mapped into the unpacked tarball. */
  private static List<String> imageCommand(Distribution dist) throws Exception {
    List<String> command = new ArrayList<>();
    for (String keyword : List.of("ENTRYPOINT", "CMD")) {
      for (Object part : new JsonArray(last(keyword))) {
        command.add(toLocal(dist, (String) part));
      }
    }
    return command;
  }

  private static String toLocal(Distribution dist, String imagePath) {
    if (imagePath.startsWith(IMAGE_HOME + "/")) {
      return dist.home.resolve(imagePath.substring(IMAGE_HOME.length() + 1)).toString();
    }
    if (imagePath.startsWith(IMAGE_CONFIG + "/")) {
      // The build stage copies the distribution's config/ to /etc/edgegate.
      return dist.home
          .resolve("config")
          .resolve(imagePath.substring(IMAGE_CONFIG.length() + 1))
          .toString();
    }
    return imagePath;
  }

  /** The image's ENV, with its data directory mapped to {@code data}. */
  private static Map<String, String> imageEnv(Path data) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher("");
    for (String i : instructions()) {
      if (i.startsWith("ENV ")) {
        m.reset(i.substring(4));
        while (m.find()) {
          env.put(m.group(1), m.group(2).replace(IMAGE_DATA, data.toString()));
        }
      }
    }
    return env;
  }

  /**
   * The image's command and environment, pointed at the in-test broker and at free loopback ports
   * through EDGEGATE_* variables: production.yaml (the image's config) is otherwise used as it is.
   */
  private Map<String, String> env(Path data, String bootstrap, int mqttPort, int adminPort)
      throws Exception {
    Map<String, String> env = new HashMap<>(imageEnv(data));
    env.merge("JAVA_OPTS", "-Xmx256m", (a, b) -> a + " " + b);
    env.put("EDGEGATE_GATEWAY_DATA_DIR", data.toString());
    env.put("EDGEGATE_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("EDGEGATE_KAFKA_PRODUCER__SECURITY_PROTOCOL", "PLAINTEXT");
    env.put("EDGEGATE_MQTT_HOST", "127.0.0.1");
    // production.yaml speaks TLS and reads /etc/edgegate/passwd; this test's device is plain
    env.put("EDGEGATE_MQTT_TLS_ENABLED", "false");
    Path passwd = Files.createDirectories(data).resolve("passwd");
    Files.writeString(passwd, "");
    env.put("EDGEGATE_MQTT_AUTH_PASSWORD_FILE", passwd.toString());
    env.put("EDGEGATE_MQTT_PORT", Integer.toString(mqttPort));
    env.put("EDGEGATE_ADMIN_HOST", "127.0.0.1");
    env.put("EDGEGATE_ADMIN_PORT", Integer.toString(adminPort));
    env.put("EDGEGATE_ADMIN_REFRESH_INTERVAL", "200ms");
    env.put("EDGEGATE_FORWARD_METADATA_TIMEOUT", "5s");
    // This test is about packaging and lifecycle, not device authentication: its device connects
    // without credentials, which production.yaml may refuse.
    ConfigKeys.all().stream()
        .filter(k -> k.path().equals("mqtt.auth.anonymous"))
        .forEach(k -> env.put(k.envName(), "true"));
    return env;
  }

  @Test
  void theTarballHoldsWhatTheImageAndTheSystemdUnitUse() throws Exception {
    // Every path the Dockerfile takes from the source tree or the build exists after `mvn package`.
    for (String i : instructions()) {
      if (i.startsWith("COPY ") && !i.contains("--from=")) {
        String[] parts = i.substring(5).strip().split("\\s+");
        for (int p = 0; p < parts.length - 1; p++) {
          assertThat(Distribution.ROOT.resolve(parts[p])).as(i).exists();
        }
      }
      Matcher built = Pattern.compile("gateway/target/\\S+").matcher(i);
      while (built.find()) {
        PathMatcher glob =
            Distribution.ROOT.getFileSystem().getPathMatcher("glob:" + built.group());
        try (var files = Files.walk(Distribution.ROOT.resolve("gateway/target"), 1)) {
          assertThat(files.map(Distribution.ROOT::relativize).filter(glob::matches).toList())
              .as("%s (from: %s)", built.group(), i)
              .hasSize(1);
        }
      }
    }

    Distribution dist = Distribution.unpack(dir.resolve("dist"));
    for (String part : imageCommand(dist)) {
      if (part.startsWith("/")) {
        assertThat(Path.of(part)).as("path in the image's command").exists();
      }
    }
    assertThat(dist.home.resolve("bin/edgegate")).isExecutable();
    assertThat(dist.home.resolve("lib/edgegate-gateway.jar")).exists();
    assertThat(dist.home.resolve("config/production.yaml")).exists();
    assertThat(dist.home.resolve("config/raspberry-pi.yaml")).exists();
    assertThat(dist.home.resolve("config/systemd/edgegate.service")).exists();
    assertThat(dist.home.resolve("config/demo.yaml"))
        .as("needs the embedded broker")
        .doesNotExist();
    try (var grafana = Files.list(dist.home.resolve("config/grafana"))) {
      assertThat(grafana.filter(f -> f.toString().endsWith(".json")).count()).isPositive();
    }
    try (var lib = Files.list(dist.home.resolve("lib"))) {
      List<String> jars = lib.map(f -> f.getFileName().toString()).toList();
      assertThat(jars)
          .as("no broker jars in the product")
          .noneMatch(j -> j.startsWith("kafka_2.13") || j.startsWith("kafka-server"))
          .noneMatch(j -> j.startsWith("kafka-raft") || j.contains("embedded-kafka"));
      assertThat(jars).anyMatch(j -> j.startsWith("micrometer-registry-prometheus"));
    }

    // The systemd unit starts the launcher where the distribution puts it.
    String unit = Files.readString(dist.home.resolve("config/systemd/edgegate.service"));
    assertThat(unit)
        .contains("ExecStart=" + IMAGE_HOME + "/bin/edgegate run --config")
        .contains("User=edgegate")
        .contains("Restart=on-failure")
        .contains("StateDirectory=edgegate");
    Path analyze = Tools.find("systemd-analyze");
    if (analyze != null) {
      Path local = dir.resolve("edgegate.service");
      Files.writeString(local, unit.replace(IMAGE_HOME + "/", dist.home + "/"));
      Process p =
          new ProcessBuilder(analyze.toString(), "verify", local.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("systemd-analyze verify: " + out).isZero();
      // Hardened: "OK" or better (the unit without hardening scored 8.1, "EXPOSED").
      Process security =
          new ProcessBuilder(analyze.toString(), "security", "--offline=yes", local.toString())
              .redirectErrorStream(true)
              .start();
      String rating = new String(security.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(security.waitFor(60, TimeUnit.SECONDS)).isTrue();
      Matcher level = Pattern.compile("Overall exposure level for .*: ([0-9.]+)").matcher(rating);
      if (level.find()) {
        assertThat(Double.parseDouble(level.group(1))).as(rating).isLessThanOrEqualTo(2.0);
      } // older systemd-analyze has no --offline: nothing to rate
    }
    // Every Documentation= link of the unit is in the tarball.
    Matcher doc = Pattern.compile("file:" + IMAGE_HOME + "/(\\S+)").matcher(unit);
    int links = 0;
    while (doc.find()) {
      assertThat(dist.home.resolve(doc.group(1))).as("Documentation= " + doc.group()).exists();
      links++;
    }
    assertThat(links).as("Documentation= links").isPositive();
    // The distribution's own README names only what the distribution holds.
    String readme = Files.readString(dist.home.resolve("doc/README.md"));
    assertThat(readme).doesNotContain("${project.version}");
    Matcher named = Pattern.compile("`((?:bin|config|doc|lib)/[^`]*)`").matcher(readme);
    while (named.find()) {
      String path = named.group(1).replaceAll("[`,].*", "");
      assertThat(dist.home.resolve(path)).as("doc/README.md names " + path).exists();
    }
  }

  @Test
  void theImageStartCommandGetsReadyAndSigtermStopsItCleanlyWithoutLoss() throws Exception {
    Distribution dist = Distribution.unpack(dir.resolve("dist"));
    Path data = dir.resolve("data");
    Path logs = dir.resolve("logs");
    int mqttPort = FreePorts.one();
    int adminPort = FreePorts.one();
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      Map<String, String> env = env(data, kafka.bootstrapServers(), mqttPort, adminPort);
      AdminClient admin = new AdminClient(adminPort);
      List<String> command = imageCommand(dist);
      Set<Integer> acked = new HashSet<>();
      int inKafkaAfterFirstStop;

      try (Distribution.Running gateway = dist.start(command, env, logs)) {
        long started = System.nanoTime();
        awaitReady(admin, gateway);
        System.out.printf(
            "[measure] distribution launcher: process start to /health/ready 200 in %d ms%n",
            (System.nanoTime() - started) / 1_000_000);
        assertThat(gateway.stderr())
            .contains("MQTT: listening on", "Journal: ", "Kafka: ")
            .contains("Admin: http://127.0.0.1:" + adminPort + " (console /, /metrics");
        runTheHealthcheck(adminPort);

        try (Device device = Device.connect("dev-1", mqttPort)) {
          CompletableFuture<Integer> stream = device.stream(0, 100, 64);
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(20))
              .until(() -> device.acked.size() >= 1500 || stream.isDone());
          gateway.signal("TERM"); // while the device keeps publishing
          assertThat(gateway.awaitExit(Duration.ofSeconds(60))).as(gateway.stderr()).isZero();
          stream.get(60, TimeUnit.SECONDS);
          acked.addAll(device.acked);
        }
        assertThat(gateway.stderr()).contains("Stopping EdgeGate (SIGTERM)", "EdgeGate stopped");
      }
      assertThat(acked).hasSizeGreaterThanOrEqualTo(1500);
      inKafkaAfterFirstStop =
          KafkaTopic.readAll(
                  kafka.bootstrapServers(), "edgegate.events", acked.size(), Duration.ofSeconds(20))
              .size();

      // The first run left a class-data archive (written at its exit) for the launcher.
      assertThat(cdsFiles(env)).as("class-data archive after the first run").isNotEmpty();

      // Whatever was acknowledged but not yet forwarded is in the journal: a restart sends it.
      try (Distribution.Running again = dist.start(command, env, logs)) {
        awaitReady(admin, again);
        // Checked whole and put in place before this run mapped it.
        assertThat(cdsFiles(env)).singleElement().asString().endsWith(".jsa");
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> admin.scrape().sum("edgegate_backlog_events") == 0);
        again.signal("TERM");
        assertThat(again.awaitExit(Duration.ofSeconds(60))).as(again.stderr()).isZero();
      }
      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(
              kafka.bootstrapServers(), "edgegate.events", acked.size(), Duration.ofSeconds(60));
      Set<Integer> delivered = new HashSet<>();
      records.forEach(r -> delivered.add(Events.seq(r)));
      System.out.printf(
          "[measure] SIGTERM under load: %d events acknowledged, %d in Kafka at exit, %d after the"
              + " restart (%d distinct)%n",
          acked.size(), inKafkaAfterFirstStop, records.size(), delivered.size());
      assertThat(delivered).as("every acknowledged event is in Kafka").containsAll(acked);
    }
  }

  /** The launcher's class data sharing archives, where the image tells it to keep them. */
  private static List<String> cdsFiles(Map<String, String> env) throws IOException {
    Path cds = Path.of(env.get("EDGEGATE_CDS_DIR"));
    if (!Files.isDirectory(cds)) {
      return List.of();
    }
    try (var files = Files.list(cds)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aSecondSigtermExitsAtOnce() throws Exception {
    Distribution dist = Distribution.unpack(dir.resolve("dist"));
    Path data = dir.resolve("data");
    int mqttPort = FreePorts.one();
    int adminPort = FreePorts.one();
    // No broker at this address: a send waits up to forward.metadataTimeout for metadata, and so
    // does the clean stop. The second signal must not wait for it.
    Map<String, String> env = env(data, "127.0.0.1:" + FreePorts.one(), mqttPort, adminPort);
    env.put("EDGEGATE_FORWARD_METADATA_TIMEOUT", "50s");
    env.put("EDGEGATE_FORWARD_CLOSE_TIMEOUT", "60s");
    // The first run of a fresh installation writes its class data archive as the JVM exits, also
    // on the halt of a second SIGTERM (seconds, more on a loaded machine): not what this measures.
    env.put("EDGEGATE_CDS", "off");
    AdminClient admin = new AdminClient(adminPort);
    try (Distribution.Running gateway = dist.start(imageCommand(dist), env, dir.resolve("logs"))) {
      awaitReady(admin, gateway);
      try (Device device = Device.connect("dev-1", mqttPort)) {
        device
            .publish(0, 1, com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE, 10)
            .get(30, TimeUnit.SECONDS);
        assertThat(device.acked).hasSize(1);
      }
      gateway.signal("TERM");
      gateway.awaitLog("Stopping EdgeGate (SIGTERM)", Duration.ofSeconds(10));
      long second = System.nanoTime();
      gateway.signal("TERM");
      assertThat(gateway.awaitExit(Duration.ofSeconds(15))).isEqualTo(128 + 15);
      System.out.printf(
          "[measure] second SIGTERM to exit: %d ms%n", (System.nanoTime() - second) / 1_000_000);
      assertThat(gateway.stderr()).contains("Second SIGTERM: exiting now");
      assertThat(gateway.stderr()).doesNotContain("EdgeGate stopped");
    }
  }

  private static void awaitReady(AdminClient admin, Distribution.Running gateway) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> admin.readiness().status() == 200 || !gateway.process.isAlive());
    if (!gateway.process.isAlive()) {
      throw new AssertionError("the gateway exited while starting:\n" + gateway.stderr());
    }
  }

  /** The Dockerfile's HEALTHCHECK command, run as Docker would (sh -c), when curl is here. */
  private static void runTheHealthcheck(int adminPort) throws Exception {
    String healthcheck = last("HEALTHCHECK");
    String shell = healthcheck.substring(healthcheck.indexOf("CMD ") + 4);
    if (Tools.find("curl") == null) {
      System.out.println("[skip] curl is not installed: the HEALTHCHECK command was not run");
      return;
    }
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", shell).redirectErrorStream(true);
    pb.environment().put("EDGEGATE_ADMIN_PORT", Integer.toString(adminPort));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("HEALTHCHECK " + shell + ": " + out).isZero();
  }
}
