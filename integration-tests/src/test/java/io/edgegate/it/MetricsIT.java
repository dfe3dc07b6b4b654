package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.kafka.embedded.FreePorts;
import io.edgegate.testsupport.GatewayHygiene;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} after a known workload: the counts match what the devices did, the output is
 * valid for Prometheus (promtool, and a real Prometheus server when installed), and the Grafana
 * dashboard asks only for metrics that exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(GatewayHygiene.class)
class MetricsIT {
  private static final int QOS1_DEVICES = 3;
  private static final int QOS1_EACH = 100;
  private static final int QOS0_EVENTS = 50;
  private static final int TOTAL = QOS1_DEVICES * QOS1_EACH + QOS0_EVENTS;
  // Labels our own meters may carry: none names a device (bounded cardinality).
  private static final Set<String> ALLOWED_LABELS =
      Set.of("qos", "reason", "version", "gateway", "le", "quantile");

  private Path dir;
  @RegisterExtension static final ClassKafka kafka = new ClassKafka();
  private TestGateway gw;
  private AdminClient admin;
  private final List<Device> devices = new ArrayList<>();
  private AdminClient.Scrape scrape;

  @BeforeAll
  void runAKnownWorkload(@TempDir Path tmp) throws Exception {
    dir = tmp;
    gw = TestGateway.start(TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers()));
    admin = new AdminClient(gw.gateway.adminPort());
    for (int d = 0; d < QOS1_DEVICES; d++) {
      Device device = Device.connect("dev-" + d, gw.mqttPort());
      devices.add(device);
      device.publish(0, QOS1_EACH, MqttQos.AT_LEAST_ONCE, 32).get(60, TimeUnit.SECONDS);
      assertThat(device.acked).hasSize(QOS1_EACH);
    }
    Device qos0 = Device.connect("dev-q0", gw.mqttPort());
    devices.add(qos0);
    qos0.publish(0, QOS0_EVENTS, MqttQos.AT_MOST_ONCE, 32).get(60, TimeUnit.SECONDS);
    // QoS 0 has no acknowledgement: wait until the gateway has seen and forwarded everything.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              AdminClient.Scrape s = admin.scrape();
              return s.sum("edgegate_events_forwarded_total") == TOTAL
                  && s.sum("edgegate_backlog_events") == 0;
            });
    scrape = admin.scrape();
  }

  @AfterAll
  void stop() throws Exception {
    devices.forEach(Device::close);
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void countsMatchTheWorkload() {
    AdminClient.Scrape s = scrape;
    assertThat(s.sum("edgegate_events_received_total", "qos", "1"))
        .isEqualTo(QOS1_DEVICES * QOS1_EACH);
    assertThat(s.sum("edgegate_events_received_total", "qos", "0")).isEqualTo(QOS0_EVENTS);
    assertThat(s.sum("edgegate_events_received_total", "qos", "2")).isZero();
    assertThat(s.sum("edgegate_events_acknowledged_total", "qos", "1"))
        .isEqualTo(QOS1_DEVICES * QOS1_EACH);
    assertThat(s.sum("edgegate_events_journaled_total")).isEqualTo(TOTAL);
    assertThat(s.sum("edgegate_events_forwarded_total")).isEqualTo(TOTAL);
    assertThat(s.sum("edgegate_event_latency_seconds_count")).isEqualTo(TOTAL);
    assertThat(s.sum("edgegate_journal_append_seconds_count")).isEqualTo(TOTAL);
    assertThat(s.sum("edgegate_journal_sync_seconds_count")).isPositive();
    assertThat(s.sum("edgegate_mqtt_connections_opened_total")).isEqualTo(devices.size());
    assertThat(s.sum("edgegate_mqtt_connections")).isEqualTo(devices.size());
    assertThat(s.sum("edgegate_kafka_available")).isEqualTo(1);
    // Nothing went wrong, and the series say so (they exist at 0).
    for (String zero :
        List.of(
            "edgegate_events_dead_lettered_total",
            "edgegate_events_dropped_total",
            "edgegate_events_refused_total",
            "edgegate_events_duplicates_suppressed_total",
            "edgegate_mqtt_connections_refused_total",
            "edgegate_journal_failures_total",
            "edgegate_forward_retries_total")) {
      assertThat(s.has(zero)).as(zero + " exists").isTrue();
      assertThat(s.sum(zero)).as(zero).isZero();
    }
    assertThat(s.sum("edgegate_backlog_events")).isZero();
    assertThat(s.sum("edgegate_backlog_bytes")).isZero();
    assertThat(s.sum("edgegate_backlog_oldest_age_seconds")).isZero();
    assertThat(s.sum("edgegate_journal_disk_usage_bytes")).isPositive();
    assertThat(s.sum("edgegate_journal_disk_free_bytes")).isPositive();
    // The Kafka producer's own meters, JVM and process.
    assertThat(s.sum("kafka_producer_record_send_total")).isGreaterThanOrEqualTo(TOTAL);
    assertThat(s.has("jvm_memory_used_bytes")).isTrue();
    assertThat(s.has("jvm_threads_live_threads")).isTrue();
    assertThat(s.has("process_uptime_seconds")).isTrue();
    assertThat(s.sum("edgegate_build_info", "gateway", "it")).isEqualTo(1);
  }

  @Test
  void ourMetricsCarryNoPerDeviceLabels() {
    Set<String> labels =
        scrape.samples.stream()
            .filter(x -> x.name().startsWith("edgegate_"))
            .flatMap(x -> x.labels().keySet().stream())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(labels).isSubsetOf(ALLOWED_LABELS);
    assertThat(scrape.text).doesNotContain("dev-0");
  }

  @Test
  void promtoolFindsNothingWrongWithOurMetrics() throws Exception {
    Path promtool = Tools.find("promtool");
    Assumptions.assumeTrue(
        promtool != null,
        "promtool is not installed (Debian: apt-get install prometheus); skipping the check of"
            + " /metrics with promtool");
    Path file = dir.resolve("metrics.txt");
    Files.writeString(file, scrape.text);
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // Exit 1 is a parse error; 3 lists naming problems. Names of the JVM binders and the Kafka
    // client (e.g. *_ns_total) are theirs, kept as dashboards know them; ours must be clean.
    assertThat(p.exitValue()).as(out).isIn(0, 3);
    List<String> ours = out.lines().filter(l -> l.startsWith("edgegate_")).toList();
    assertThat(ours).as("promtool on edgegate_* metrics").isEmpty();
  }

  @Test
  void theGrafanaDashboardQueriesOnlyMetricsThatExist() throws IOException {
    Path dashboards = Path.of("..", "config", "grafana");
    List<Path> files;
    try (var list = Files.list(dashboards)) {
      files = list.filter(f -> f.toString().endsWith(".json")).toList();
    }
    assertThat(files).isNotEmpty();
    Set<String> exposed = scrape.samples.stream().map(x -> x.name()).collect(Collectors.toSet());
    Pattern metric = Pattern.compile("\\b((?:edgegate|kafka_producer|jvm|process)_[a-z0-9_]+)");
    for (Path f : files) {
      JsonNode dashboard = new ObjectMapper().readTree(f.toFile());
      List<String> exprs = dashboard.findValuesAsText("expr");
      assertThat(exprs).as(f.toString()).isNotEmpty();
      for (String expr : exprs) {
        Matcher m = metric.matcher(expr);
        while (m.find()) {
          assertThat(exposed)
              .as("%s in %s: %s", m.group(1), f.getFileName(), expr)
              .contains(m.group(1));
        }
      }
    }
  }

  @Test
  void aRealPrometheusServerScrapesIt() throws Exception {
    Path prometheus = Tools.find("prometheus");
    Assumptions.assumeTrue(
        prometheus != null,
        "the Prometheus server is not installed (Debian: apt-get install prometheus); skipping"
            + " the real scrape");
    int port = FreePorts.one();
    Path config = dir.resolve("prometheus.yml");
    Path rules = Distribution.ROOT.resolve("config/prometheus/edgegate-alerts.yml");
    Files.writeString(
        config,
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
            + "rule_files: ['"
            + rules
            + "']\n"
            + "scrape_configs:\n"
            + "  - job_name: edgegate\n"
            + "    static_configs: [{targets: ['127.0.0.1:"
            + gw.gateway.adminPort()
            + "']}]\n");
    Process server =
        new ProcessBuilder(
                prometheus.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    try {
      AdminClient api = new AdminClient(port);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> query(api, "up{job=\"edgegate\"}").equals("1"));
      assertThat(query(api, "sum(edgegate_events_forwarded_total)"))
          .isEqualTo(Integer.toString(TOTAL));
      assertThat(query(api, "sum(edgegate_events_received_total{qos=\"0\"})"))
          .isEqualTo(Integer.toString(QOS0_EVENTS));
      assertThat(query(api, "edgegate_backlog_events")).isEqualTo("0");

      // Every documented expression parses and evaluates against what the gateway exposes.
      List<String> documented = documentedQueries();
      assertThat(documented).hasSizeGreaterThan(30);
      for (String expr : documented) {
        AdminClient.Response r =
            api.get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        assertThat(r.status()).as("%s: %s", expr, r.body()).isEqualTo(200);
        assertThat(r.json().getString("status")).as(expr).isEqualTo("success");
      }
      // The shipped alert rules load, and each is evaluated without error.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                JsonArray groups =
                    api.get("/api/v1/rules").json().getJsonObject("data").getJsonArray("groups");
                assertThat(groups).hasSize(1);
                JsonArray loaded = groups.getJsonObject(0).getJsonArray("rules");
                assertThat(loaded).hasSize(5);
                for (int i = 0; i < loaded.size(); i++) {
                  JsonObject rule = loaded.getJsonObject(i);
                  assertThat(rule.getString("health")).as(rule.encode()).isEqualTo("ok");
                }
              });
      // Kafka took every send: the outage alert must not fire (min_over_time would after a blip).
      assertThat(query(api, "max_over_time(edgegate_kafka_available[5m]) == 0")).isEmpty();
    } finally {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  /**
   * The PromQL the documentation gives an operator: the {@code promql} blocks of README.md and
   * docs/*.md (the alerts are in docs/operations.md), the alert rules file and the Grafana
   * dashboard's queries (its variables as Grafana would fill them).
   */
  static List<String> documentedQueries() throws IOException {
    List<String> out = new ArrayList<>();
    StringBuilder docs =
        new StringBuilder(Files.readString(Distribution.ROOT.resolve("README.md")));
    try (var pages = Files.list(Distribution.ROOT.resolve("docs"))) {
      for (Path page : pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        docs.append('\n').append(Files.readString(page));
      }
    }
    Matcher block = Pattern.compile("```promql\n(.*?)```", Pattern.DOTALL).matcher(docs);
    while (block.find()) {
      for (String line : block.group(1).split("\n")) {
        String expr = line.replaceFirst("\\s+#.*$", "").strip();
        if (!expr.isEmpty() && !expr.startsWith("#")) {
          out.add(expr);
        }
      }
    }
    JsonNode rules =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(Distribution.ROOT.resolve("config/prometheus/edgegate-alerts.yml").toFile());
    rules.findValuesAsText("expr").forEach(out::add);
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(Distribution.ROOT.resolve("config/grafana/edgegate-dashboard.json").toFile());
    for (String expr : dashboard.findValuesAsText("expr")) {
      out.add(
          expr.replace("$__rate_interval", "1m")
              .replace("$__interval", "15s")
              .replace("$instance", ".*"));
    }
    return out;
  }

  /** The value of a PromQL instant query with one result, as Prometheus writes it. */
  private static String query(AdminClient api, String promql) {
    AdminClient.Response r =
        api.get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonObject body = r.json();
    JsonArray result = body.getJsonObject("data").getJsonArray("result");
    if (result.isEmpty()) {
      return "";
    }
    return result.getJsonObject(0).getJsonArray("value").getString(1);
  }
}
