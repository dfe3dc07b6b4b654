package io.edgegate.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.AdminConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin endpoints over real HTTP. */
class AdminServerTest {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Health health = new Health(System.currentTimeMillis());
  private AdminServer server;

  @BeforeEach
  void start() throws Exception {
    AdminConfig config = new AdminConfig();
    config.host = "127.0.0.1";
    config.port = 0;
    server = new AdminServer(config, registry, health, Clock.systemUTC());
    vertx.deployVerticle(server).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Test
  void metricsAreInThePrometheusTextFormat() throws Exception {
    Counter.builder("edgegate.test.things").register(registry).increment(3);
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).contains("# TYPE edgegate_test_things_total counter");
    assertThat(r.body()).contains("edgegate_test_things_total 3.0");
  }

  @Test
  void readinessAnswers503UntilRunningAndLivenessAlways200() throws Exception {
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> starting = get("/health/ready");
    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(starting.body()).getString("phase")).isEqualTo("starting");

    health.register(
        "kafka",
        () -> new Health.Component(Health.Status.DEGRADED, "sends fail", Map.of("backlog", 3)));
    health.phase(Health.Phase.RUNNING);
    HttpResponse<String> running = get("/health/ready");
    assertThat(running.statusCode()).isEqualTo(200);
    assertThat(running.headers().firstValue("content-type")).hasValue("application/json");
    JsonObject json = new JsonObject(running.body());
    assertThat(json.getString("status")).isEqualTo("degraded");
    assertThat(json.getBoolean("ready")).isTrue();
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        send(
            HttpRequest.newBuilder(uri("/metrics")).POST(HttpRequest.BodyPublishers.ofString("x")));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
  }
}
