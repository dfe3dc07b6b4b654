package io.edgegate.gateway.ingest.limits;

import io.edgegate.gateway.ingest.stats.ConnectionRefusal;
import io.edgegate.gateway.ingest.stats.IngestStats;
import io.edgegate.gateway.ingest.tls.TlsRefusals;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.util.AttributeKey;
import io.vertx.core.Handler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.mqtt.MqttServer;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the device listener at the TCP level, before and beside {@code vertx-mqtt}: connection
 * limits counted from the TCP accept, an absolute deadline for the CONNECT, a deadline for every
 * packet once its first byte arrived, keep-alive enforcement, and the packet-order rules of
 * [MQTT-3.1.0-1] and [MQTT-3.1.0-2], and the topic aliases of MQTT 5 devices. Shared by all
 * instances of one listener; thread-safe.
 *
 * <p>Why at this level: {@code vertx-mqtt} tells the application about a connection only once its
 * CONNECT is complete, too late to count or refuse it; its own timeouts measure the silence between
 * complete packets (idle handlers after the decoder), so after CONNECT a packet trickled in for
 * longer than 1.5 times the keep-alive, or forever with keep-alive 0, holds the connection and its
 * decoder buffer. {@code vertx-mqtt} has no hook for either, so {@link #install} wraps the TCP
 * server inside its {@link MqttServer} (one private field, found by reflection). If a future {@code
 * vertx-mqtt} changes that, the listener refuses to start ({@link GuardUnavailableException})
 * rather than run unguarded; the integration tests catch it.
 */
public final class ListenerGuard {
  private static final Logger log = LoggerFactory.getLogger(ListenerGuard.class);
  static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf("edgegate.closing");

  /**
   * The gateway is closing this connection (a DISCONNECT with a reason, or a close): the packets
   * still in the same read are not served. vertx-mqtt closes the channel only once its last write
   * was flushed, and flushes are consolidated to the end of the read, so without this it would be
   * handed packets after its endpoint had closed, and throw. Event loop of the channel.
   */
  public static void closing(Channel ch) {
    ch.attr(CLOSING).set(Boolean.TRUE);
  }

  private final ConnectionLimits limits;
  private final ConnectionRate rate; // null: no connection-rate limit
  private final IngestStats stats;
  private final RateLimitedLog refusals;
  private final long connectTimeoutNanos;
  private final long packetTimeoutNanos;
  private final int maxKeepAliveSeconds;
  private final int topicAliasMaximum;
  private final LongSupplier nanoTime;
  private Handler<Throwable> preConnectFailures = e -> {};

  public ListenerGuard(
      ConnectionLimits limits,
      ConnectionRate rate,
      IngestStats stats,
      RateLimitedLog refusals,
      Duration connectTimeout,
      Duration packetTimeout,
      Duration maxKeepAlive,
      int topicAliasMaximum,
      LongSupplier nanoTime) {
    this.limits = limits;
    this.rate = rate;
    this.stats = stats;
    this.refusals = refusals;
    this.connectTimeoutNanos = connectTimeout.toNanos();
    this.packetTimeoutNanos = packetTimeout.toNanos();
    this.maxKeepAliveSeconds = (int) Math.min(65535, maxKeepAlive.toSeconds());
    this.topicAliasMaximum = topicAliasMaximum;
    this.nanoTime = nanoTime;
  }

  /** The TCP server of {@code server} could not be wrapped. */
  public static final class GuardUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    GuardUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Puts this guard in front of {@code server}'s connections; call before it listens. {@code
   * failures} gets what goes wrong on a connection before its CONNECT (malformed packets).
   */
  public void install(MqttServer server, Handler<Throwable> failures) {
    this.preConnectFailures = failures;
    try {
      Field f = server.getClass().getDeclaredField("server");
      f.setAccessible(true);
      Object net = f.get(server);
      if (!(net instanceof NetServer netServer)) {
        throw new NoSuchFieldException("field 'server' is not a NetServer");
      }
      // vertx-mqtt gives its TCP server no exception handler, so failed TLS handshakes would go
      // unseen: counted and logged here (before the listener listens, as Vert.x requires).
      netServer.exceptionHandler(this::handshakeFailed);
      f.set(server, new GuardedNetServer(netServer, this));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new GuardUnavailableException(
          "cannot guard the MQTT listener with this vertx-mqtt ("
              + server.getClass().getName()
              + "): connection limits and connect deadlines would not apply, so it does not start",
          e);
    }
  }

  /** The connect handler {@code vertx-mqtt} gives its TCP server, wrapped. */
  Handler<NetSocket> wrap(Handler<NetSocket> mqtt) {
    return socket -> accept(socket, mqtt);
  }

  private void accept(NetSocket socket, Handler<NetSocket> mqtt) {
    if (!(socket instanceof NetSocketInternal internal)) {
      throw new GuardUnavailableException(
          "unexpected socket type " + socket.getClass().getName(), null);
    }
    Channel ch = internal.channelHandlerContext().channel();
    String address = address(socket.remoteAddress());
    stats.accepted();
    if (rate != null && !rate.tryAcquire(address)) {
      stats.connectionRefused(ConnectionRefusal.CONNECTION_RATE_EXCEEDED);
      refusals.info(
          "Refused a connection from {}: {}",
          address,
          ConnectionRefusal.CONNECTION_RATE_EXCEEDED.tag());
      ch.close();
      return;
    }
    ConnectionRefusal refusal = limits.tryAcquire(address);
    if (refusal != null) {
      stats.connectionRefused(refusal);
      refusals.info("Refused a connection from {}: {}", address, refusal.tag());
      ch.close();
      return;
    }
    ch.closeFuture().addListener(f -> limits.release(address));
    // Until its CONNECT, vertx-mqtt gives a connection no exception handler, and Vert.x would log
    // each malformed packet at ERROR: a log flood on demand. Counted and rate-limited instead.
    socket.exceptionHandler(preConnectFailures);
    mqtt.handle(socket); // vertx-mqtt builds its pipeline: decoder, encoder, its handlers
    ChannelPipeline p = ch.pipeline();
    if (p.get("mqttDecoder") == null || p.get("handler") == null) {
      ch.close();
      throw new GuardUnavailableException(
          "vertx-mqtt's pipeline has no 'mqttDecoder'/'handler': " + p.names(), null);
    }
    ConnectionGuard guard = new ConnectionGuard(ch, address, this);
    p.addBefore("mqttDecoder", "edgegateBytes", guard.bytes());
    HeapPayloads.install(p);
    p.addBefore("handler", "edgegatePackets", guard.packets());
    guard.start();
  }

  /**
   * A TLS handshake failed (the only failure Vert.x reports to a TCP server's exception handler):
   * counted by its kind, logged at INFO, rate-limited. Vert.x does not say which connection it was.
   */
  private void handshakeFailed(Throwable e) {
    ConnectionRefusal reason = TlsRefusals.reason(e);
    stats.connectionRefused(reason);
    refusals.info(
        "Refused a TLS connection: {} ({})",
        reason.tag(),
        RateLimitedLog.clean(String.valueOf(e.getMessage()), 200));
  }

  private static String address(SocketAddress a) {
    if (a == null) {
      return "unknown";
    }
    String host = a.hostAddress();
    return host != null ? host : String.valueOf(a.path());
  }

  IngestStats stats() {
    return stats;
  }

  RateLimitedLog refusals() {
    return refusals;
  }

  long connectTimeoutNanos() {
    return connectTimeoutNanos;
  }

  long packetTimeoutNanos() {
    return packetTimeoutNanos;
  }

  int maxKeepAliveSeconds() {
    return maxKeepAliveSeconds;
  }

  /** The Topic Alias Maximum MQTT 5 devices are told in the CONNACK; 0: none. */
  int topicAliasMaximum() {
    return topicAliasMaximum;
  }

  long nanoTime() {
    return nanoTime.getAsLong();
  }

  static Logger log() {
    return log;
  }
}
