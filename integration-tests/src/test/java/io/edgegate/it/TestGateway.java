package io.edgegate.it;

import io.edgegate.gateway.Gateway;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.JournalConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real gateway in the test JVM, on its own Vert.x instance, configured as tests need. */
final class TestGateway implements AutoCloseable {
  static final String TOPIC = "events";
  static final String DEAD_LETTERS = "events.dlq";

  final Vertx vertx;
  final Gateway gateway;

  private TestGateway(Vertx vertx, Gateway gateway) {
    this.vertx = vertx;
    this.gateway = gateway;
  }

  /** The configuration tests start from: loopback, free MQTT port, batch sync, short backoffs. */
  static GatewayConfig config(Path dataDir, String bootstrapServers) {
    GatewayConfig c = new GatewayConfig();
    c.gateway.id = "it";
    c.gateway.dataDir = dataDir;
    c.mqtt.host = "127.0.0.1";
    c.mqtt.port = 0;
    c.mqtt.auth.anonymous = true; // tests of authentication set their own
    c.journal.sync = JournalConfig.Sync.BATCH;
    c.kafka.bootstrapServers = bootstrapServers;
    c.kafka.topic = TOPIC;
    c.kafka.deadLetterTopic = DEAD_LETTERS;
    c.pipeline.contentType = "application/json";
    c.forward.retryBackoffMax = Duration.ofSeconds(1);
    c.forward.metadataTimeout = Duration.ofSeconds(2);
    c.forward.closeTimeout = Duration.ofSeconds(2);
    // Admin endpoints on loopback and a free port: tests run beside other builds.
    c.admin.host = "127.0.0.1";
    c.admin.port = 0;
    c.admin.refreshInterval = Duration.ofMillis(200);
    return c;
  }

  static TestGateway start(GatewayConfig config) {
    return start(config, Clock.systemUTC());
  }

  static TestGateway start(GatewayConfig config, Clock clock) {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setPreferNativeTransport(false)
                // Half Vert.x's default: a loop held for a second is a bug, while a shorter
                // stall on this shared two-core machine may be the scheduler, not the gateway.
                .setBlockedThreadCheckInterval(500)
                .setMaxEventLoopExecuteTime(TimeUnit.SECONDS.toNanos(1))
                // The checker's warning carries the blocked thread's stack (GatewayHygiene shows
                // it).
                .setWarningExceptionTime(TimeUnit.SECONDS.toNanos(1)));
    Gateway gateway;
    try {
      gateway =
          Gateway.start(vertx, config, new SimpleMeterRegistry(), clock)
              .await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close().await();
      throw new IllegalStateException("gateway did not start", e);
    }
    return new TestGateway(vertx, gateway);
  }

  int mqttPort() {
    return gateway.mqttPort();
  }

  double counter(String name) {
    var c = gateway.metrics().registry().find(name).counters();
    return c.stream().mapToDouble(x -> x.count()).sum();
  }

  @Override
  public void close() throws Exception {
    try {
      gateway.close().await(60, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
