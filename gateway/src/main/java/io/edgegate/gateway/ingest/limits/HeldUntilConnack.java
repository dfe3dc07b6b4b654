package io.edgegate.gateway.ingest.limits;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The packets a device sent after its CONNECT and before the gateway answered it, held back from
 * vertx-mqtt until the CONNACK. A client need not wait for the CONNACK [MQTT-3.1.4-5 in 3.1.1,
 * 3.1.4 in 5], but vertx-mqtt closes the connection (with an ERROR in the log) on any packet that
 * reaches it before its endpoint is accepted, and the gateway's CONNECT answer can take a worker's
 * password check. Accepted: the held packets go on in order, before any later one. Refused: they
 * and any later ones are dropped unprocessed, as the server must [MQTT-3.1.4-5], while the socket
 * closes (vertx-mqtt would otherwise log each as an unhandled exception).
 *
 * <p>Bounded: at most {@link #MAX_HELD_BYTES} of packets (a device pipelining more before its
 * CONNACK is closed), and only for the CONNECT's time, which {@code mqtt.connectTimeout} bounds.
 * <b>Confined to the channel's event loop</b>, like the {@link ConnectionGuard} that owns it.
 */
final class HeldUntilConnack {
  /**
   * Held packets' bytes (payloads plus a fixed cost per packet) before the connection is closed.
   */
  static final int MAX_HELD_BYTES = 64 * 1024;

  private static final int PACKET_COST = 64;

  private boolean waiting; // a CONNECT went on to vertx-mqtt; its CONNACK has not come back
  private boolean refused; // the CONNACK refused: nothing after it is served
  private ArrayDeque<Object> held; // null: nothing held
  private int heldBytes;

  /** The CONNECT went on: packets after it wait for its answer. */
  void connectPassed(ChannelHandlerContext ctx) {
    assert ctx.executor().inEventLoop();
    waiting = true;
  }

  /** Whether {@code msg} must wait (it is then this holder's to pass on or release). */
  boolean holds(ChannelHandlerContext ctx) {
    assert ctx.executor().inEventLoop();
    return waiting || refused || held != null;
  }

  /**
   * Holds {@code msg} until the CONNACK; false (and {@code msg} released) when over the bound, for
   * the caller to close the connection.
   */
  boolean hold(ChannelHandlerContext ctx, Object msg) {
    assert ctx.executor().inEventLoop();
    if (refused) {
      ReferenceCountUtil.release(msg); // [MQTT-3.1.4-5]: not processed
      return true;
    }
    int bytes = PACKET_COST;
    if (msg instanceof MqttPublishMessage p) {
      bytes += p.payload().readableBytes();
    }
    if (heldBytes + bytes > MAX_HELD_BYTES) {
      ReferenceCountUtil.release(msg);
      release();
      return false;
    }
    if (held == null) {
      held = new ArrayDeque<>(4);
    }
    held.add(msg);
    heldBytes += bytes;
    return true;
  }

  /**
   * The gateway answered the CONNECT. Accepted: the held packets go on to vertx-mqtt once the
   * CONNACK's write is done (a task after it on the loop, so that vertx-mqtt has marked its
   * endpoint connected); refused: they are dropped.
   */
  void answered(ChannelHandlerContext ctx, boolean accepted) {
    assert ctx.executor().inEventLoop();
    waiting = false;
    if (!accepted) {
      refused = true;
      release();
      return;
    }
    if (held == null) {
      return;
    }
    ctx.executor()
        .execute(
            () -> {
              ArrayDeque<Object> q = held;
              held = null;
              heldBytes = 0;
              if (q == null) {
                return;
              }
              for (Object m; (m = q.poll()) != null; ) {
                if (ctx.channel().isActive()) {
                  ctx.fireChannelRead(m);
                } else {
                  ReferenceCountUtil.release(m);
                }
              }
              // Vert.x hands a read's messages on at its end, as after a socket read.
              ctx.fireChannelReadComplete();
            });
  }

  /** The connection closed: whatever is held goes. */
  void release() {
    ArrayDeque<Object> q = held;
    held = null;
    heldBytes = 0;
    if (q != null) {
      q.forEach(ReferenceCountUtil::release);
    }
  }
}
