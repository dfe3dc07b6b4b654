package io.edgegate.gateway.ingest;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.streams.ReadStream;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses and resumes reading from a device's socket. {@code vertx-mqtt}'s {@link MqttEndpoint} has
 * no pause/resume of its own, but its connection is a Vert.x socket that has: stopping reads there
 * is real TCP backpressure (the device's send window closes), which is how the gateway slows
 * devices down instead of dropping events. Reached by reflection once; if a future vertx-mqtt
 * changes its internals, the gateway logs that once and relies on withheld acknowledgements only.
 * Call on the endpoint's event loop.
 */
final class EndpointSockets {
  private static final Logger log = LoggerFactory.getLogger(EndpointSockets.class);
  private static final Field CONN = connField();
  private static final int FLUSHES_PER_WRITE = 256;

  private EndpointSockets() {}

  static void pause(MqttEndpoint endpoint) {
    ReadStream<?> socket = socket(endpoint);
    if (socket != null) {
      socket.pause();
      autoRead(endpoint, false);
    }
  }

  static void resume(MqttEndpoint endpoint) {
    ReadStream<?> socket = socket(endpoint);
    if (socket != null) {
      autoRead(endpoint, true);
      socket.resume();
    }
  }

  /**
   * vertx-mqtt closes a connection that is silent for 1.5 times its Keep Alive with a reader-idle
   * timer of its own, which also counts the time the gateway held the socket paused (no reads, so
   * the device's PINGREQs wait unread): a device held at the disk limit would be dropped into a
   * reconnect storm. {@code ConnectionGuard} applies the same rule and leaves paused time out, so
   * the library's timer is removed once the connection is accepted.
   */
  static void dropLibraryKeepAlive(MqttEndpoint endpoint) {
    ChannelHandlerContext ctx = channel(endpoint);
    if (ctx != null) {
      for (String name : new String[] {"keepAliveHandler", "idle"}) {
        if (ctx.pipeline().get(name) != null) {
          ctx.pipeline().remove(name);
        }
      }
    }
  }

  /**
   * vertx-mqtt writes and flushes each packet it is asked to send. Vert.x defers the flush while it
   * delivers a read (so replies to the packets of one read leave together), but acknowledgements
   * are sent from the journal's completion task, outside any read: one {@code write(2)} per PUBACK
   * cost a sixth of the gateway's CPU. Netty's {@link FlushConsolidationHandler}, placed in front
   * of the connection's handler, turns the flushes of one event loop task into one flush that runs
   * right after it (or after {@value #FLUSHES_PER_WRITE} of them), so the acknowledgements of a
   * group commit leave in one write per connection. Nothing goes out earlier than it did: writes
   * are only flushed later, by the end of the task that made them.
   */
  static void consolidateFlushes(MqttEndpoint endpoint) {
    ChannelHandlerContext ctx = channel(endpoint);
    if (ctx != null && ctx.pipeline().get(FlushConsolidationHandler.class) == null) {
      ctx.pipeline()
          .addBefore(
              ctx.name(),
              "flushConsolidation",
              new FlushConsolidationHandler(FLUSHES_PER_WRITE, true));
    }
  }

  /**
   * A paused Vert.x socket only stops delivering: its channel goes on reading, and each read's
   * decoded publishes queue up behind the pause. Under a QoS 0 flood (no in-flight window holds the
   * devices back) that queue grew without bound. Stopping the channel's reads is the backpressure
   * the pause means.
   */
  private static void autoRead(MqttEndpoint endpoint, boolean on) {
    ChannelHandlerContext ctx = channel(endpoint);
    if (ctx != null) {
      ctx.channel().config().setAutoRead(on);
    }
  }

  /**
   * False once the endpoint's connection is closed. A CONNECT can reach the application after its
   * connection was closed (the packets of one read are delivered after a later one closed it); such
   * an endpoint never reports its close again, so it must not be registered.
   */
  static boolean isOpen(MqttEndpoint endpoint) {
    ChannelHandlerContext ctx = channel(endpoint);
    return ctx == null || ctx.channel().isActive();
  }

  /** The gateway closes this endpoint: packets still to be delivered from its read are dropped. */
  static void closing(MqttEndpoint endpoint) {
    ChannelHandlerContext ctx = channel(endpoint);
    if (ctx != null) {
      io.edgegate.gateway.ingest.limits.ListenerGuard.closing(ctx.channel());
    }
  }

  /** Runs {@code action} (on a Netty thread) once the endpoint's connection has closed. */
  static void onChannelClosed(MqttEndpoint endpoint, Runnable action) {
    ChannelHandlerContext ctx = channel(endpoint);
    if (ctx != null) {
      ctx.channel().closeFuture().addListener(f -> action.run());
    }
  }

  /** The Netty context of the endpoint's connection, or null if it cannot be reached. */
  private static ChannelHandlerContext channel(MqttEndpoint endpoint) {
    return socket(endpoint) instanceof io.vertx.core.internal.net.NetSocketInternal s
        ? s.channelHandlerContext()
        : null;
  }

  /** The endpoint's socket (for its peer certificates), or null if it cannot be reached. */
  static io.vertx.core.net.NetSocket netSocket(MqttEndpoint endpoint) {
    return socket(endpoint) instanceof io.vertx.core.net.NetSocket s ? s : null;
  }

  private static ReadStream<?> socket(MqttEndpoint endpoint) {
    if (CONN == null || !CONN.getDeclaringClass().isInstance(endpoint)) {
      return null;
    }
    try {
      return (ReadStream<?>) CONN.get(endpoint);
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  private static Field connField() {
    try {
      Field f = Class.forName("io.vertx.mqtt.impl.MqttEndpointImpl").getDeclaredField("conn");
      f.setAccessible(true);
      if (!ReadStream.class.isAssignableFrom(f.getType())) {
        throw new NoSuchFieldException("conn is not a ReadStream");
      }
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn(
          "Cannot pause device sockets with this vertx-mqtt ({}); throttling relies on withheld"
              + " acknowledgements",
          e.toString());
      return null;
    }
  }
}
