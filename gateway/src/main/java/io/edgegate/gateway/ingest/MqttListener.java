package io.edgegate.gateway.ingest;

import io.edgegate.gateway.config.MqttConfig;
import io.edgegate.gateway.ingest.stats.ConnectionRefusal;
import io.edgegate.gateway.ingest.stats.IngestStats;
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
  private IngestSecurity security;

  MqttListener(MqttConfig config, int port, Ingest ingest) {
    this.config = config;
    this.port = port;
    this.ingest = ingest;
  }

  @Override
  public Future<?> start() {
    // TLS, limits, authentication and ACL are shared by the instances and built once, off the
    // event loop (the password file is read, a bad configuration stops the start).
    return ingest
        .security(vertx, config)
        .compose(
            security -> {
              this.security = security;
              MqttServerOptions options = security.serverOptions(port);
              server = MqttServer.create(vertx, options);
              security.serving(server);
              security.guard().install(server, ingest::connectionFailed);
              server.exceptionHandler(e -> ingest.connectionFailed(e));
              server.endpointHandler(endpoint -> ingest.connect(endpoint, security));
              return server.listen();
            });
  }

  @Override
  public Future<?> stop() {
    if (security != null && server != null) {
      security.stopped(server);
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> ingest.listenerStopped());
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
    private final RecentPublishes recentPublishes = new RecentPublishes(64, 100_000);

    private volatile io.edgegate.gateway.session.Sessions sessions;
    private volatile java.util.function.BiPredicate<String, String> extraPublish =
        (clientId, topic) -> false;

    /** The sessions of the devices (persistent ones survive a restart). */
    public Ingest sessions(io.edgegate.gateway.session.Sessions sessions) {
      this.sessions = sessions;
      return this;
    }

    /** Topics a device may publish to besides its ACL: (client id, topic) → allowed. */
    public Ingest extraPublish(java.util.function.BiPredicate<String, String> allowed) {
      this.extraPublish = allowed;
      return this;
    }

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

    private Future<IngestSecurity> security;
    private int listeners;

    /** The defences of the listener, built by the first instance that starts. */
    synchronized Future<IngestSecurity> security(io.vertx.core.Vertx vertx, MqttConfig config) {
      listeners++;
      if (security == null) {
        security = IngestSecurity.open(vertx, config, stats);
      }
      return security;
    }

    /** The last instance to stop closes the defences (password checks, reload timer). */
    synchronized Future<Void> listenerStopped() {
      if (--listeners == 0 && security != null) {
        Future<IngestSecurity> s = security;
        security = null;
        s.onSuccess(IngestSecurity::close);
      }
      return Future.succeededFuture();
    }

    /** A CONNECT arrived: authenticated first (see {@link IngestSecurity#admit}), then served. */
    void connect(io.vertx.mqtt.MqttEndpoint endpoint, IngestSecurity security) {
      security.admit(endpoint, policy -> connect(endpoint, policy));
    }

    private void connect(io.vertx.mqtt.MqttEndpoint endpoint, DevicePolicy policy) {
      DeviceConnection c =
          new DeviceConnection(
              endpoint, journal, throttle, registry, ids, clock, stats, policy.maxHeldEvents());
      c.policy(policy);
      c.lifecycleEvents(lifecycleEvents);
      c.recentPublishes(recentPublishes);
      c.sessions(sessions);
      c.extraPublish(extraPublish);
      c.accept();
    }

    void connectionFailed(Throwable e) {
      stats.connectionRefused(refusalReason(e));
      org.slf4j.LoggerFactory.getLogger(MqttListener.class)
          .debug("MQTT connection failed before CONNECT completed: {}", e.toString());
    }

    /** The {@code reason} tag of a connection refused before CONNECT, by exception type. */
    static ConnectionRefusal refusalReason(Throwable e) {
      if (e instanceof io.netty.handler.codec.mqtt.MqttIdentifierRejectedException) {
        return ConnectionRefusal.CLIENT_ID_REJECTED;
      }
      if (e instanceof io.netty.handler.codec.TooLongFrameException) {
        return ConnectionRefusal.MESSAGE_TOO_LARGE;
      }
      if (e instanceof java.io.IOException) {
        return ConnectionRefusal.NETWORK_ERROR;
      }
      return ConnectionRefusal.PROTOCOL_ERROR;
    }

    public int connectedDevices() {
      return registry.size();
    }

    /** Every connected device, read from its connection now (in no order). Any thread. */
    public java.util.List<ConnectedDevice> devices() {
      return registry.snapshot();
    }

    /** One connected device, or null. Any thread. */
    public ConnectedDevice device(String clientId) {
      return registry.snapshot(clientId);
    }

    /** Devices whose sockets wait for journal room. Any thread. */
    public int pausedDevices() {
      return throttle.pausedConnections();
    }

    public MqttListener listener(MqttConfig config, int port) {
      return new MqttListener(config, port, this);
    }
  }
}
