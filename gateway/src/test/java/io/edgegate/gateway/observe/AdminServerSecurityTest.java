package io.edgegate.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.gateway.config.AdminConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin endpoints with credentials and TLS, as Prometheus scrapes them. */
class AdminServerSecurityTest {
  private static final String TOKEN = "a-token-of-sixteen-or-more";
  private final Vertx vertx = Vertx.vertx();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private AdminServer server;
  private HttpClient https;

  @BeforeEach
  void start() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    AdminConfig config = new AdminConfig();
    config.host = "127.0.0.1";
    config.port = 0;
    config.auth.bearerToken = TOKEN;
    config.auth.username = "prometheus";
    config.auth.password = "scrape-pw";
    config.tls.enabled = true;
    config.tls.certFile = Path.of(cert.certificatePath());
    config.tls.keyFile = Path.of(cert.privateKeyPath());
    Health health = new Health(System.currentTimeMillis());
    server = new AdminServer(config, registry, health, Clock.systemUTC());
    vertx.deployVerticle(server).await(30, TimeUnit.SECONDS);
    Counter.builder("edgegate.test.things").register(registry).increment();
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new TrustAll()}, null); // the test's own certificate
    https = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
            .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return https.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void metricsAndReadinessNeedABearerTokenOrBasicCredentialsOverTls() throws Exception {
    HttpResponse<String> none = get("/metrics", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("www-authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm=\"edgegate\""));
    assertThat(none.body()).doesNotContain("edgegate_test_things");
    assertThat(get("/health/ready", null).statusCode()).isEqualTo(401);
    assertThat(get("/health", "Bearer wrong-token-wrong-token").statusCode()).isEqualTo(401);
    assertThat(get("/metrics", basic("prometheus", "wrong")).statusCode()).isEqualTo(401);
    assertThat(get("/metrics", "Basic not-base64!").statusCode()).isEqualTo(401);

    HttpResponse<String> bearer = get("/metrics", "Bearer " + TOKEN);
    assertThat(bearer.statusCode()).isEqualTo(200);
    assertThat(bearer.body()).contains("edgegate_test_things_total 1.0");
    assertThat(get("/metrics", basic("prometheus", "scrape-pw")).statusCode()).isEqualTo(200);
    assertThat(get("/health/ready", "bearer " + TOKEN).statusCode()).isIn(200, 503);
    assertThat(get("/health/live", null).statusCode()).as("open by default").isEqualTo(200);
  }

  @Test
  void plainHttpIsNotServed() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(
            () ->
                http.send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/health/live"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
