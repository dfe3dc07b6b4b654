package io.edgegate.gateway.observe;

import io.edgegate.gateway.config.AdminConfig;
import io.edgegate.gateway.config.AdminTlsConfig;
import io.edgegate.gateway.config.MqttTlsConfig;
import io.edgegate.gateway.ingest.limits.RateLimitedLog;
import io.edgegate.gateway.observe.console.ConsoleApi;
import io.edgegate.gateway.observe.console.ConsoleAssets;
import io.edgegate.gateway.observe.console.ConsoleSources;
import io.edgegate.gateway.thread.Confinement;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoints on {@code admin.host:admin.port}, apart from the devices' listener:
 *
 * <ul>
 *   <li>{@code GET /metrics}: every meter in the Prometheus text format (0.0.4);
 *   <li>{@code GET /health/live}: 200 while the process answers;
 *   <li>{@code GET /health/ready} (also {@code /health}): 200 when devices may send (Kafka away is
 *       only degraded), 503 otherwise; JSON with each component's state;
 *   <li>{@code GET /} (also {@code /console/}): the read-only web console, and its JSON under
 *       {@code /api/} ({@link ConsoleApi}, docs/console.md).
 * </ul>
 *
 * With {@code admin.auth} every path but {@code admin.auth.openPaths} needs a bearer token or a
 * user name and password ({@link AdminAccess}); with {@code admin.tls} it is HTTPS.
 *
 * <p>Vert.x core's HTTP server is enough for a few read-only routes. A scrape formats every meter,
 * which is CPU work that grows with the JVM's and Kafka client's meters: it runs on a worker
 * thread, so an event loop never waits for it. Health answers from memory, on the event loop.
 */
final class AdminServer extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final String JSON = "application/json";
  // What PrometheusMeterRegistry.scrape() writes (the Prometheus text format's media type).
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final AdminConfig config;
  private final PrometheusMeterRegistry registry;
  private final Health health;
  private final Clock clock;
  private final AdminAccess access;
  private final RateLimitedLog denied =
      new RateLimitedLog(log, 10, TimeUnit.SECONDS.toNanos(60), System::nanoTime);
  private final Supplier<ConsoleSources> console;
  private final ConsoleAssets assets = new ConsoleAssets();
  private ConsoleApi api;
  private HttpServer server;
  private volatile int port;

  /** Without a console to read: its JSON answers 503 (the page still loads). */
  AdminServer(AdminConfig config, PrometheusMeterRegistry registry, Health health, Clock clock) {
    this(config, registry, health, clock, () -> null);
  }

  AdminServer(
      AdminConfig config,
      PrometheusMeterRegistry registry,
      Health health,
      Clock clock,
      Supplier<ConsoleSources> console) {
    this.config = config;
    this.console = console;
    this.registry = registry;
    this.health = health;
    this.clock = clock;
    this.access = new AdminAccess(config.auth);
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.host)
            .setPort(config.port)
            .setIdleTimeout(60)
            .setMaxInitialLineLength(4096)
            .setMaxHeaderSize(8192)
            .setCompressionSupported(true) // Prometheus asks for gzip: less for a Pi to send
            .setHttp2ClearTextEnabled(false); // HTTP/1.1 is all its clients speak
    AdminTlsConfig tls = config.tls;
    if (tls != null && tls.enabled) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(tls.certFile.toString())
                  .setKeyPath(tls.keyFile.toString()))
          .setEnabledSecureTransportProtocols(new LinkedHashSet<>(List.of("TLSv1.3", "TLSv1.2")));
    }
    if (!access.on() && !MqttTlsConfig.isLoopback(config.host)) {
      log.warn(
          "The admin endpoints on {} ask for no credentials (admin.auth): anyone who reaches the"
              + " port reads the metrics",
          config.host);
    }
    api = new ConsoleApi(vertx, console, clock);
    api.start();
    server = vertx.createHttpServer(options).requestHandler(this::handle);
    return server
        .listen()
        .onSuccess(s -> port = s.actualPort())
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalStateException(
                        "admin endpoints cannot listen on "
                            + config.host
                            + ":"
                            + config.port
                            + " (admin.host, admin.port): "
                            + e.getMessage(),
                        e)));
  }

  @Override
  public Future<?> stop() {
    if (api != null) {
      api.stop();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port it listens on (resolved when {@code admin.port} is 0). */
  int port() {
    return port;
  }

  private void handle(HttpServerRequest request) {
    try {
      route(request);
    } catch (RuntimeException | LinkageError e) {
      // A bug must not leave the caller waiting for an answer (a probe would time out instead).
      log.error("Admin request {} failed", request.path(), e);
      if (!request.response().headWritten()) {
        request.response().setStatusCode(500).end("internal error\n");
      }
    }
  }

  private void route(HttpServerRequest request) {
    if (!access.allows(request.path(), request.getHeader(HttpHeaders.AUTHORIZATION))) {
      denied.info(
          "Admin request {} from {} refused: no valid credentials (admin.auth)",
          RateLimitedLog.clean(request.path()),
          request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress());
      request
          .response()
          .setStatusCode(401)
          .putHeader("WWW-Authenticate", access.challenge())
          .end("unauthorized\n");
      return;
    }
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request
          .response()
          .setStatusCode(405)
          .putHeader(HttpHeaders.ALLOW, "GET, HEAD")
          .end("method not allowed\n");
      return;
    }
    assert Confinement.onEventLoop(); // health answers here, from memory
    switch (request.path()) {
      case "/metrics" -> metrics(request);
      case "/health/live" -> json(request, 200, health.liveness(clock.millis()));
      case "/health/ready", "/health" -> {
        Health.Report report = health.report();
        json(request, report.ready() ? 200 : 503, report.toJson());
      }
      default -> {
        if (!api.handle(request) && !assets.serve(request)) {
          request.response().setStatusCode(404).end("not found\n");
        }
      }
    }
  }

  private void metrics(HttpServerRequest request) {
    vertx
        .executeBlocking(registry::scrape, false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                request
                    .response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT)
                    .end(ar.result());
              } else {
                log.warn("Formatting the metrics failed", ar.cause());
                request.response().setStatusCode(500).end("metrics unavailable\n");
              }
            });
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode() + "\n");
  }
}
