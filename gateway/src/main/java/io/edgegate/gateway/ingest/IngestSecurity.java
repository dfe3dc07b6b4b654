package io.edgegate.gateway.ingest;

import io.edgegate.gateway.config.MqttConfig;
import io.edgegate.gateway.config.MqttTlsConfig;
import io.edgegate.gateway.ingest.acl.DeviceAcl;
import io.edgegate.gateway.ingest.acl.TopicAcl;
import io.edgegate.gateway.ingest.auth.Authenticator;
import io.edgegate.gateway.ingest.auth.Credentials;
import io.edgegate.gateway.ingest.auth.DeviceIdentity;
import io.edgegate.gateway.ingest.auth.Refusal;
import io.edgegate.gateway.ingest.auth.RefusedException;
import io.edgegate.gateway.ingest.limits.ConnectionLimits;
import io.edgegate.gateway.ingest.limits.ConnectionRate;
import io.edgegate.gateway.ingest.limits.ListenerGuard;
import io.edgegate.gateway.ingest.limits.RateLimitedLog;
import io.edgegate.gateway.ingest.stats.IngestStats;
import io.edgegate.gateway.ingest.tls.TlsFiles;
import io.edgegate.gateway.mqtt.TopicFilters;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.MqttWill;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device listener's defences, shared by its instances: the TLS files (reloaded on change), the
 * {@link ListenerGuard}, the {@link Authenticator} with its password file (reloaded on change), the
 * {@link TopicAcl}. Built once, off the event loops ({@link #open}); closed with the last listener
 * instance.
 */
final class IngestSecurity implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngestSecurity.class);
  private static final int MQTT_5 = 5;

  private final Vertx vertx;
  private final MqttConfig config;
  private final IngestStats stats;
  private final Authenticator authenticator;
  private final TopicAcl acl;
  private final ListenerGuard guard;
  private final RateLimitedLog refusals;
  private final long reloadTimer;
  private final TlsFiles tlsFiles; // null: plain TCP
  private final long tlsReloadTimer;
  // The listener instances' servers, told of new TLS files; each instance registers its own.
  private final List<MqttServer> servers = new CopyOnWriteArrayList<>();

  private IngestSecurity(
      Vertx vertx,
      MqttConfig config,
      IngestStats stats,
      Credentials credentials,
      TlsFiles tlsFiles) {
    this.vertx = vertx;
    this.config = config;
    this.stats = stats;
    this.tlsFiles = tlsFiles;
    this.refusals =
        new RateLimitedLog(
            LoggerFactory.getLogger("io.edgegate.gateway.ingest.Refusals"),
            20,
            TimeUnit.SECONDS.toNanos(10),
            System::nanoTime);
    this.authenticator = new Authenticator(config, credentials, stats);
    this.acl = TopicAcl.of(config.acl);
    this.guard =
        new ListenerGuard(
            new ConnectionLimits(
                config.limits.maxConnections, config.limits.maxConnectionsPerAddress),
            config.limits.connectionRate > 0
                ? new ConnectionRate(
                    config.limits.connectionRate,
                    config.limits.effectiveConnectionBurst(),
                    Math.max(1024, config.limits.maxConnections),
                    System::nanoTime)
                : null,
            stats,
            refusals,
            config.connectTimeout,
            config.limits.packetTimeout,
            config.limits.maxKeepAlive,
            config.limits.topicAliasMaximum,
            System::nanoTime);
    this.reloadTimer =
        credentials == null
            ? -1
            : vertx.setPeriodic(
                config.auth.reloadInterval.toMillis(),
                id -> vertx.executeBlocking(credentials::reloadIfChanged, false));
    this.tlsReloadTimer =
        tlsFiles == null
            ? -1
            : vertx.setPeriodic(
                config.tls.reloadInterval.toMillis(),
                id ->
                    vertx
                        // ordered: one reload at a time, their updates in order
                        .executeBlocking(() -> tlsFiles.reloadIfChanged(vertx), true)
                        .onSuccess(
                            changed -> {
                              if (changed) {
                                updateServers();
                              }
                            }));
  }

  /**
   * Gives every listener instance the TLS files now in force: new handshakes use them, open
   * connections keep theirs. {@code force}: the options name no paths that could compare equal.
   */
  private void updateServers() {
    ServerSSLOptions options = tlsFiles.sslOptions();
    List<Future<Boolean>> updates = new java.util.ArrayList<>();
    for (MqttServer server : servers) {
      updates.add(server.updateSSLOptions(options, true));
    }
    Future.all(updates)
        .onSuccess(v -> log.info("TLS files reloaded: {}", tlsFiles.summary()))
        .onFailure(
            e ->
                log.error(
                    "The MQTT listener kept its previous TLS files: the new ones were refused"
                        + " ({})",
                    e.toString()));
  }

  /** A listener instance's server, to be told of reloaded TLS files. */
  void serving(MqttServer server) {
    servers.add(server);
  }

  void stopped(MqttServer server) {
    servers.remove(server);
  }

  /**
   * Checks the configuration as the listener will use it and reads the password file; blocking, so
   * it runs on a worker thread. Fails with a message naming the key.
   */
  static Future<IngestSecurity> open(Vertx vertx, MqttConfig config, IngestStats stats) {
    return vertx.executeBlocking(
        () -> {
          String noWayIn = Authenticator.noWayIn(config);
          if (noWayIn != null) {
            throw new IllegalStateException(noWayIn);
          }
          if (config.tls.enabled == null && !MqttTlsConfig.isLoopback(config.host)) {
            throw new IllegalStateException(
                "mqtt.tls.enabled: must be set when mqtt.host ("
                    + config.host
                    + ") is not a loopback address: true for TLS (mqtt.tls.certFile, keyFile), or"
                    + " false to accept plain TCP");
          }
          Credentials credentials = null;
          if (config.auth.passwordFile != null) {
            try {
              credentials = Credentials.load(config.auth.passwordFile);
            } catch (java.io.IOException | IllegalArgumentException e) {
              throw new IllegalStateException(
                  "mqtt.auth.passwordFile: cannot be used: " + e.getMessage(), e);
            }
            log.info("Password file {}: {} users", config.auth.passwordFile, credentials.users());
          }
          if (config.auth.anonymous) {
            log.warn("Anonymous MQTT devices are accepted (mqtt.auth.anonymous: true)");
          }
          TlsFiles tlsFiles = null;
          if (config.tls.on()) {
            try {
              tlsFiles = TlsFiles.load(config.tls, config.connectTimeout.toMillis(), vertx);
            } catch (TlsFiles.TlsFileException e) {
              throw new IllegalStateException(e.getMessage(), e);
            }
            log.info("MQTT TLS: {}", tlsFiles.summary());
          } else {
            log.info("The MQTT listener on {} speaks plain TCP (no TLS)", config.host);
          }
          return new IngestSecurity(vertx, config, stats, credentials, tlsFiles);
        });
  }

  /** The listener options: sizes, timeouts and TLS. */
  MqttServerOptions serverOptions(int port) {
    MqttServerOptions options =
        new MqttServerOptions()
            .setHost(config.host)
            .setPort(port)
            .setMaxMessageSize((int) config.maxMessageSize)
            .setMaxClientIdLength(config.maxClientIdLength)
            // The guard's own deadline (counted, logged) comes first; this one is a backstop.
            .setTimeoutOnConnect((int) Math.max(1, config.connectTimeout.toSeconds()) + 1)
            // An empty client id is given one by the Authenticator (the certificate's or user's
            // id, else a UUID), which MQTT 5 devices then learn from the CONNACK.
            .setAutoClientId(false);
    if (tlsFiles != null) {
      tlsFiles.apply(options);
    }
    return options;
  }

  ListenerGuard guard() {
    return guard;
  }

  RateLimitedLog refusals() {
    return refusals;
  }

  /**
   * Checks the CONNECT of {@code endpoint} and calls {@code admitted} with the device's policy, or
   * refuses it with the CONNACK code of its protocol version. The socket stays paused meanwhile, so
   * packets a device sends before its CONNACK wait (they are not dropped). On the endpoint's event
   * loop.
   */
  void admit(MqttEndpoint endpoint, java.util.function.Consumer<DevicePolicy> admitted) {
    SocketPauses pauses = new SocketPauses(endpoint);
    pauses.pause(SocketPauses.CONNECT);
    Context context = Vertx.currentContext();
    EndpointSockets.onChannelClosed(endpoint, () -> context.runOnContext(v -> pauses.closed()));
    boolean[] gone = new boolean[1];
    endpoint.closeHandler(v -> gone[0] = true);
    MqttAuth auth = endpoint.auth();
    String clientId = endpoint.clientIdentifier();
    Authenticator.Request request =
        new Authenticator.Request(
            clientId == null || clientId.isEmpty() ? null : clientId,
            auth == null ? null : auth.getUsername(),
            auth == null || auth.getPassword() == null
                ? null
                : auth.getPassword().getBytes(StandardCharsets.UTF_8),
            peerCertificate(endpoint));
    Future<DeviceIdentity> checked;
    if (endpoint.protocolVersion() >= MQTT_5
        && endpoint.connectProperties() != null
        && endpoint.connectProperties().getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
      checked =
          Future.failedFuture(
              new RefusedException(
                  Refusal.BAD_AUTHENTICATION_METHOD,
                  "enhanced authentication (Authentication Method) is not supported"));
    } else {
      checked = authenticator.authenticate(request, context);
    }
    checked.onComplete(
        ar -> {
          if (gone[0] || !EndpointSockets.isOpen(endpoint)) {
            return; // closed while it was checked: nothing to serve, nothing to register
          }
          if (ar.failed()) {
            refuse(endpoint, request, ar.cause());
            return;
          }
          DeviceIdentity identity = ar.result();
          DeviceAcl deviceAcl = acl.forDevice(identity);
          String will = willTopic(endpoint);
          if (will != null && !(TopicFilters.validTopicName(will) && deviceAcl.mayPublish(will))) {
            // A Will is a publish the device asks for in advance: the same ACL applies, checked
            // now, when the device can still be told (MQTT 5 §3.1.2.5, 0x87 / 3.1.1 0x05).
            refuse(
                endpoint,
                request,
                new RefusedException(
                    Refusal.WILL_NOT_AUTHORIZED,
                    "not authorized to publish the Will to '" + RateLimitedLog.clean(will) + "'"));
            return;
          }
          if (!identity.clientId().equals(endpoint.clientIdentifier())) {
            endpoint.setClientIdentifier(identity.clientId());
          }
          DevicePolicy policy =
              new DevicePolicy(
                  endpoint, vertx, identity, deviceAcl, config, stats, refusals, pauses);
          admitted.accept(policy);
          pauses.resume(SocketPauses.CONNECT);
        });
  }

  private void refuse(MqttEndpoint endpoint, Authenticator.Request request, Throwable cause) {
    Refusal refusal;
    String why;
    if (cause instanceof RefusedException r) {
      refusal = r.refusal();
      why = r.getMessage();
    } else {
      refusal = Refusal.SERVER_BUSY;
      why = "internal error";
      log.error("Checking a CONNECT failed", cause);
    }
    stats.connectionRefused(refusal.reason());
    refusals.info(
        "Refused CONNECT of '{}' (user '{}') from {}: {} ({})",
        RateLimitedLog.clean(request.clientId()),
        RateLimitedLog.clean(request.username()),
        endpoint.remoteAddress() == null ? "?" : endpoint.remoteAddress().hostAddress(),
        refusal.reason().tag(),
        why);
    int version = endpoint.protocolVersion();
    if (version >= MQTT_5) {
      MqttProperties props = new MqttProperties();
      props.add(
          new MqttProperties.StringProperty(
              MqttProperties.MqttPropertyType.REASON_STRING.value(), why));
      endpoint.reject(refusal.code(version), props);
    } else {
      endpoint.reject(refusal.code(version));
    }
  }

  /** The topic of the CONNECT's Will, or null when it has none. */
  private static String willTopic(MqttEndpoint endpoint) {
    MqttWill will = endpoint.will();
    return will != null && will.isWillFlag() ? will.getWillTopic() : null;
  }

  private static X509Certificate peerCertificate(MqttEndpoint endpoint) {
    if (!endpoint.isSsl()) {
      return null;
    }
    NetSocket socket = EndpointSockets.netSocket(endpoint);
    if (socket == null) {
      return null;
    }
    try {
      List<Certificate> chain = socket.peerCertificates();
      return chain != null && !chain.isEmpty() && chain.get(0) instanceof X509Certificate x
          ? x
          : null;
    } catch (SSLPeerUnverifiedException e) {
      return null; // no certificate presented (clientAuth optional)
    }
  }

  @Override
  public void close() {
    if (reloadTimer >= 0) {
      vertx.cancelTimer(reloadTimer);
    }
    if (tlsReloadTimer >= 0) {
      vertx.cancelTimer(tlsReloadTimer);
    }
    authenticator.close();
  }
}
