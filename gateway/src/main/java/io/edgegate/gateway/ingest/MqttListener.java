package io.edgegate.gateway.ingest;

import io.edgegate.gateway.config.MqttConfig;
import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.JournalWriter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.time.Clock;

/**
 * One instance of the MQTT listener. Vert.x deploys several on different event loops sharing one
 * port, and spreads connections over them; each connection stays on the loop it arrived on.
 */
public final class MqttListener extends VerticleBase {
  private final MqttConfig config;
  private final int port;
  private final Ingest ingest;
  private MqttServer server;

  MqttListener(MqttConfig config, int port, Ingest ingest) {
    this.config = config;
    this.port = port;
    this.ingest = ingest;
  }

  @Override
  public Future<?> start() {
    MqttServerOptions options =
        new MqttServerOptions()
            .setHost(config.host)
            .setPort(port)
            .setMaxMessageSize((int) config.maxMessageSize)
            .setMaxClientIdLength(config.maxClientIdLength)
            .setTimeoutOnConnect((int) Math.max(1, config.connectTimeout.toSeconds()))
            .setAutoClientId(true);
    server = MqttServer.create(vertx, options);
    server.exceptionHandler(e -> ingest.connectionFailed(e));
    server.endpointHandler(ingest::connect);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  /** Shared by all listener instances: journal, ids, registry and throttle. Thread-safe. */
  public static final class Ingest {
    private final JournalWriter journal;
    private final IngestThrottle throttle;
    private final DeviceRegistry registry = new DeviceRegistry();
    private final EventIds ids;
    private final Clock clock;
    private final IngestStats stats;

    private volatile boolean lifecycleEvents;

    /** Connects and disconnects become events ({@code pipeline.lifecycle.enabled}). */
    public Ingest lifecycleEvents(boolean on) {
      this.lifecycleEvents = on;
      return this;
    }

    public Ingest(JournalWriter journal, Clock clock, IngestStats stats) {
      this.journal = journal;
      this.throttle = new IngestThrottle(journal);
      this.ids = new EventIds(clock);
      this.clock = clock;
      this.stats = stats;
    }

    void connect(io.vertx.mqtt.MqttEndpoint endpoint) {
      DeviceConnection c =
          new DeviceConnection(endpoint, journal, throttle, registry, ids, clock, stats);
      c.lifecycleEvents(lifecycleEvents);
      c.accept();
    }

    void connectionFailed(Throwable e) {
      stats.connectionRefused(refusalReason(e));
      org.slf4j.LoggerFactory.getLogger(MqttListener.class)
          .debug("MQTT connection failed before CONNECT completed: {}", e.toString());
    }

    /** The {@code reason} tag of a connection refused before CONNECT, by exception type. */
    static String refusalReason(Throwable e) {
      if (e instanceof io.netty.handler.codec.mqtt.MqttIdentifierRejectedException) {
        return "client-id-rejected";
      }
      if (e instanceof io.netty.handler.codec.TooLongFrameException) {
        return "message-too-large";
      }
      if (e instanceof java.io.IOException) {
        return "network-error";
      }
      return "protocol-error";
    }

    public int connectedDevices() {
      return registry.size();
    }

    public MqttListener listener(MqttConfig config, int port) {
      return new MqttListener(config, port, this);
    }
  }
}
