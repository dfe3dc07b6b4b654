package io.edgegate.sim.it;

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

/** A real EdgeGate gateway in the test JVM on its own Vert.x, writing to {@code topic}. */
final class TestGateway implements AutoCloseable {
  final Vertx vertx;
  final Gateway gateway;
  final String topic;

  private TestGateway(Vertx vertx, Gateway gateway, String topic) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.topic = topic;
  }

  static TestGateway start(Path dataDir, String bootstrapServers, String topic) {
    GatewayConfig c = new GatewayConfig();
    c.gateway.id = "sim-it";
    c.gateway.dataDir = dataDir;
    c.mqtt.host = "127.0.0.1";
    c.mqtt.port = 0;
    c.admin.enabled = false; // no metrics endpoint (it would want port 8080)
    c.mqtt.auth.anonymous = true; // the gateway refuses anonymous devices unless told
    c.journal.sync = JournalConfig.Sync.BATCH;
    c.kafka.bootstrapServers = bootstrapServers;
    c.kafka.topic = topic;
    c.kafka.deadLetterTopic = topic + ".dlq";
    c.pipeline.contentType = "application/json";
    c.forward.retryBackoffMax = Duration.ofSeconds(1);
    c.forward.metadataTimeout = Duration.ofSeconds(5);
    c.forward.closeTimeout = Duration.ofSeconds(5);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    try {
      Gateway gateway =
          Gateway.start(vertx, c, new SimpleMeterRegistry(), Clock.systemUTC())
              .await(60, TimeUnit.SECONDS);
      return new TestGateway(vertx, gateway, topic);
    } catch (Exception e) {
      vertx.close().await();
      throw new IllegalStateException("gateway did not start", e);
    }
  }

  int mqttPort() {
    return gateway.mqttPort();
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
