package io.edgegate.gateway.ingest.limits;

import static io.edgegate.gateway.ingest.limits.DisconnectReasons.DISCONNECT_KEEP_ALIVE_TIMEOUT;
import static io.edgegate.gateway.ingest.limits.DisconnectReasons.DISCONNECT_MALFORMED_PACKET;
import static io.edgegate.gateway.ingest.limits.DisconnectReasons.DISCONNECT_PACKET_TOO_LARGE;
import static io.edgegate.gateway.ingest.limits.DisconnectReasons.DISCONNECT_PROTOCOL_ERROR;
import static io.edgegate.gateway.ingest.limits.DisconnectReasons.DISCONNECT_RETAIN_NOT_SUPPORTED;
import static io.edgegate.gateway.ingest.limits.DisconnectReasons.DISCONNECT_SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED;

import io.edgegate.gateway.ingest.stats.ConnectionClose;
import io.edgegate.gateway.ingest.stats.ConnectionRefusal;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines and packet-order rules of one connection, as two Netty handlers: {@link #bytes}
 * before the MQTT decoder sees every read, {@link #packets} after it sees every decoded packet.
 * <b>Confined to the channel's event loop</b> (handlers and scheduled checks all run there); at
 * most one check of each kind is scheduled at a time.
 *
 * <p>Topic aliases [MQTT-3.3.2-7..12]: {@code vertx-mqtt} resolves an inbound alias to its topic
 * before the application sees the PUBLISH, but keeps every alias a client sends, whatever the Topic
 * Alias Maximum, and closes the connection without a reason on an unknown one. So the aliases are
 * checked here first: outside 1..{@code mqtt.limits.topicAliasMaximum} is DISCONNECT 0x94, an empty
 * topic with no known alias is DISCONNECT 0x82; {@code vertx-mqtt}'s map then never holds more than
 * the maximum. The aliases known here are this connection's only [MQTT-3.3.2-7].
 *
 * <p>A socket the gateway paused itself (journal backpressure, rate limit) stops reading; time
 * spent so does not count against the device's deadlines.
 *
 * <p>Parts: the CONNECT rules ({@link ConnectRules}), the packets held until the CONNACK ({@link
 * HeldUntilConnack}), the topic aliases ({@link TopicAliases}), the DISCONNECT reason codes ({@link
 * DisconnectReasons}). It stays over 350 lines because the rest is one connection's state machine
 * (CONNECT first, then packets, under three deadlines) whose every check and refusal reads and sets
 * the same few fields.
 */
final class ConnectionGuard {
  private final Channel ch;
  private final String address;
  private final ListenerGuard owner;
  private boolean connected; // a CONNECT was decoded
  private boolean mqtt5;
  private TopicAliases topicAliases; // created at the first MQTT 5 PUBLISH
  private boolean closing;
  private final HeldUntilConnack heldUntilConnack = new HeldUntilConnack();
  // The first bytes read: the CONNECT's fixed header, protocol name and level, for [MQTT-3.1.2-1].
  private final byte[] head = new byte[16];
  private int headLength;
  private long lastRead;
  private long partialSince; // first byte of a packet not yet complete; 0: none
  private long bytesIn; // read from the socket (after TLS)
  private long bytesDecoded; // in complete packets; bytesIn - bytesDecoded: a packet under way
  private long idleLimitNanos; // 1.5 x the effective keep-alive, once connected
  private ScheduledFuture<?> connectDeadline;
  private ScheduledFuture<?> packetCheck;
  private ScheduledFuture<?> idleCheck;

  ConnectionGuard(Channel ch, String address, ListenerGuard owner) {
    this.ch = ch;
    this.address = address;
    this.owner = owner;
    this.lastRead = owner.nanoTime();
  }

  void start() {
    connectDeadline =
        ch.eventLoop()
            .schedule(
                this::connectDeadlinePassed, owner.connectTimeoutNanos(), TimeUnit.NANOSECONDS);
    ch.closeFuture().addListener(f -> cancelAll());
  }

  ChannelHandler bytes() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = owner.nanoTime();
        lastRead = now;
        if (msg instanceof io.netty.buffer.ByteBuf b) {
          if (headLength < head.length) {
            int n = Math.min(head.length - headLength, b.readableBytes());
            b.getBytes(b.readerIndex(), head, headLength, n);
            headLength += n;
          }
          bytesIn += b.readableBytes();
        }
        if (partialSince == 0) {
          partialSince = now;
          schedulePacketCheck(owner.packetTimeoutNanos());
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  ChannelHandler packets() {
    return new ChannelDuplexHandler() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttMessage m && !inspect(m)) {
          ReferenceCountUtil.release(msg);
          return;
        }
        if (heldUntilConnack.holds(ctx)) {
          if (!heldUntilConnack.hold(ctx, msg)) {
            refuse(
                ConnectionRefusal.PROTOCOL_ERROR,
                "over " + HeldUntilConnack.MAX_HELD_BYTES + " bytes of packets before the CONNACK");
          }
          return;
        }
        if (msg instanceof MqttConnectMessage c) {
          if (ConnectRules.emptyClientIdResumes(c)) {
            msg = ConnectRules.asCleanStart(c);
          }
          heldUntilConnack.connectPassed(ctx);
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof MqttConnAckMessage a) {
          heldUntilConnack.answered(
              ctx,
              a.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED);
        }
        ctx.write(msg, promise);
      }
    };
  }

  /** False when the packet must not reach vertx-mqtt (the connection is being closed). */
  private boolean inspect(MqttMessage m) {
    assert onEventLoop();
    if (closing || !ch.isActive() || ch.hasAttr(ListenerGuard.CLOSING)) {
      return false; // the gateway is closing it: later packets of the same read are not served
    }
    if (m.decoderResult().isFailure() || m.fixedHeader() == null) {
      if (!connected) {
        if (m.decoderResult().cause() instanceof MqttUnacceptableProtocolVersionException
            && ConnectRules.wrongProtocolName(head, headLength)) {
          // [MQTT-3.1.2-1] A wrong protocol name: the Server MAY disconnect. vertx-mqtt would
          // answer with a 3.1.1 CONNACK whatever the level, which an MQTT 5 client cannot read.
          refuse(ConnectionRefusal.PROTOCOL_ERROR, "wrong protocol name in CONNECT");
          return false;
        }
        return true; // vertx-mqtt answers it (CONNACK 0x01 for a protocol level) and closes
      }
      // Handled here: for a malformed CONNECT after the first, vertx-mqtt would make a new
      // endpoint to refuse it, and the connected one would never hear of the close.
      Throwable cause = m.decoderResult().cause();
      String what = "malformed packet: " + (cause == null ? "?" : cause.getMessage());
      if (cause instanceof TooLongFrameException) {
        // Over the Maximum Packet Size the CONNACK announced (MQTT 5 §3.2.2.3.6).
        disconnect(DISCONNECT_PACKET_TOO_LARGE, what);
      } else {
        disconnect(DISCONNECT_MALFORMED_PACKET, what);
      }
      return false;
    }
    int remaining = m.fixedHeader().remainingLength();
    bytesDecoded += 1 + varIntLength(remaining) + remaining;
    if (bytesDecoded >= bytesIn) {
      partialSince = 0; // nothing left over
    } else {
      // The same read carried the start of the next packet: its clock starts now.
      partialSince = owner.nanoTime();
      schedulePacketCheck(owner.packetTimeoutNanos());
    }
    MqttMessageType type = m.fixedHeader().messageType();
    if (!connected) {
      if (type != MqttMessageType.CONNECT) {
        // [MQTT-3.1.0-1] The first packet sent from the Client to the Server MUST be a CONNECT.
        refuse(ConnectionRefusal.PROTOCOL_ERROR, type + " before CONNECT");
        return false;
      }
      connected = true;
      connectDeadline.cancel(false);
      connectDeadline = null; // a cancelled task kept referenced costs every connection ~100 bytes
      MqttConnectMessage connect = (MqttConnectMessage) m;
      mqtt5 = connect.variableHeader().version() >= 5;
      if (!mqtt5
          && !connect.variableHeader().isCleanSession()
          && (connect.payload().clientIdentifier() == null
              || connect.payload().clientIdentifier().isEmpty())) {
        // [MQTT-3.1.3-8] 3.1.1: an empty client id with CleanSession 0 gets return code 0x02.
        refuseConnect(
            MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
            ConnectionRefusal.CLIENT_ID_INVALID,
            "empty client id with CleanSession 0");
        return false;
      }
      if (mqtt5
          && connect.variableHeader().isWillFlag()
          && connect.variableHeader().isWillRetain()) {
        // [MQTT-3.2.2-13] The CONNACK says Retain Available 0: a Will with Will Retain 1 is
        // refused with 0x9A (Retain not supported).
        refuseConnect(
            MqttConnectReturnCode.CONNECTION_REFUSED_RETAIN_NOT_SUPPORTED,
            ConnectionRefusal.RETAIN_NOT_SUPPORTED,
            "Will Retain 1 (retained messages are not offered)");
        return false;
      }
      int asked = ((MqttConnectMessage) m).variableHeader().keepAliveTimeSeconds();
      int max = owner.maxKeepAliveSeconds();
      int effective = asked == 0 || asked > max ? max : asked;
      // [MQTT-3.1.2-24] The Server closes a connection silent for one and a half times the
      // Keep Alive; for a device that asked for more than the maximum (or none), the maximum.
      idleLimitNanos = (long) Math.ceil(effective * 1.5) * 1_000_000_000L;
      scheduleIdleCheck(idleLimitNanos);
      return true;
    }
    if (type == MqttMessageType.CONNECT) {
      // [MQTT-3.1.0-2] A second CONNECT packet is a protocol violation: disconnect.
      disconnect(DISCONNECT_PROTOCOL_ERROR, "second CONNECT");
      return false;
    }
    if (type == MqttMessageType.CONNACK
        || type == MqttMessageType.SUBACK
        || type == MqttMessageType.UNSUBACK
        || type == MqttMessageType.PINGRESP) {
      // Packets only a Server sends (2.1.2): vertx-mqtt reports them without closing.
      disconnect(DISCONNECT_PROTOCOL_ERROR, type + " from a client");
      return false;
    }
    if (type == MqttMessageType.PUBLISH && mqtt5) {
      if (m.fixedHeader().isRetain()) {
        // MQTT 5 §3.3.1.3: after Retain Available 0 in the CONNACK, RETAIN 1 is DISCONNECT 0x9A.
        disconnect(DISCONNECT_RETAIN_NOT_SUPPORTED, "PUBLISH with RETAIN 1");
        return false;
      }
      return topicAliases().ok((MqttPublishMessage) m, owner.topicAliasMaximum());
    }
    if (type == MqttMessageType.SUBSCRIBE
        && mqtt5
        && ((io.netty.handler.codec.mqtt.MqttSubscribeMessage) m)
                .idAndPropertiesVariableHeader()
                .properties()
                .getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER)
            != null) {
      // MQTT 5 §3.2.2.3.12: after Subscription Identifier Available 0, DISCONNECT 0xA1.
      disconnect(
          DISCONNECT_SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
          "SUBSCRIBE with a Subscription Identifier");
      return false;
    }
    return true;
  }

  private TopicAliases topicAliases() {
    if (topicAliases == null) {
      topicAliases = new TopicAliases(this);
    }
    return topicAliases;
  }

  /** Whether the caller runs on this connection's event loop. */
  boolean onEventLoop() {
    return ch.eventLoop().inEventLoop();
  }

  private static int varIntLength(int value) {
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }

  private void refuse(ConnectionRefusal reason, String what) {
    closing = true;
    owner.stats().connectionRefused(reason);
    owner.refusals().info("Closed a connection from {}: {} ({})", address, reason.tag(), what);
    ch.close();
  }

  /** Refuses the CONNECT with {@code code} in a CONNACK (of the connection's version), closes. */
  private void refuseConnect(MqttConnectReturnCode code, ConnectionRefusal reason, String what) {
    closing = true;
    owner.stats().connectionRefused(reason);
    owner.refusals().info("Refused CONNECT from {}: {} ({})", address, reason.tag(), what);
    ch.writeAndFlush(MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build());
    ch.close();
  }

  private void violation(String what) {
    closing = true;
    owner.stats().protocolViolation();
    owner.refusals().info("Closed a connection from {}: protocol violation ({})", address, what);
    ch.close();
  }

  /**
   * A protocol violation: an MQTT 5 device is told why with a DISCONNECT (MQTT 5 §4.13.2), then the
   * connection is closed.
   */
  void disconnect(byte reasonCode, String what) {
    assert onEventLoop();
    if (!mqtt5) {
      violation(what);
      return;
    }
    closing = true;
    owner.stats().protocolViolation();
    owner
        .refusals()
        .info(
            "Closed a connection from {}: protocol violation ({}), DISCONNECT 0x{}",
            address,
            what,
            Integer.toHexString(reasonCode & 0xff));
    writeDisconnect(reasonCode);
  }

  /**
   * Sends an MQTT 5 DISCONNECT with {@code reasonCode} and closes the connection. The close does
   * not wait for the write: a device that does not read must not hold its connection open.
   */
  private void writeDisconnect(byte reasonCode) {
    MqttMessage disconnect =
        new MqttMessage(
            new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
            new MqttReasonCodeAndPropertiesVariableHeader(
                reasonCode, MqttProperties.NO_PROPERTIES));
    ch.writeAndFlush(disconnect);
    ch.close();
  }

  private void closeFor(ConnectionClose reason) {
    closing = true;
    owner.stats().connectionClosed(reason);
    owner.refusals().info("Closed a connection from {}: {}", address, reason.tag());
    ch.close();
  }

  private void connectDeadlinePassed() {
    assert onEventLoop();
    if (!connected && !closing && ch.isActive()) {
      refuse(ConnectionRefusal.CONNECT_TIMEOUT, "no complete CONNECT in time");
    }
  }

  private void schedulePacketCheck(long delayNanos) {
    if (packetCheck == null || packetCheck.isDone()) {
      packetCheck =
          ch.eventLoop().schedule(this::checkPacket, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
    }
  }

  private void checkPacket() {
    assert onEventLoop();
    packetCheck = null;
    if (partialSince == 0 || closing || !ch.isActive()) {
      return; // no packet under way: the next byte starts the clock again
    }
    long now = owner.nanoTime();
    if (!ch.config().isAutoRead()) {
      partialSince = now; // paused by the gateway: the device cannot send the rest
    } else if (now - partialSince >= owner.packetTimeoutNanos()) {
      if (connected) {
        closeFor(ConnectionClose.PACKET_TIMEOUT);
      } else {
        refuse(ConnectionRefusal.CONNECT_TIMEOUT, "CONNECT trickled in too slowly");
      }
      return;
    }
    schedulePacketCheck(partialSince + owner.packetTimeoutNanos() - now);
  }

  private void scheduleIdleCheck(long delayNanos) {
    idleCheck =
        ch.eventLoop().schedule(this::checkIdle, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
  }

  private void checkIdle() {
    assert onEventLoop();
    if (closing || !ch.isActive() || ch.hasAttr(ListenerGuard.CLOSING)) {
      return;
    }
    long now = owner.nanoTime();
    if (!ch.config().isAutoRead()) {
      lastRead = now; // paused by the gateway: silence is ours, not the device's
    } else if (now - lastRead >= idleLimitNanos) {
      if (mqtt5) {
        // MQTT 5 can say why: 0x8D, Keep Alive timeout (MQTT 5 §3.14.2.1).
        closing = true;
        owner.stats().connectionClosed(ConnectionClose.KEEP_ALIVE_TIMEOUT);
        owner
            .refusals()
            .info(
                "Closed a connection from {}: {}",
                address,
                ConnectionClose.KEEP_ALIVE_TIMEOUT.tag());
        writeDisconnect(DISCONNECT_KEEP_ALIVE_TIMEOUT);
      } else {
        closeFor(ConnectionClose.KEEP_ALIVE_TIMEOUT);
      }
      return;
    }
    scheduleIdleCheck(lastRead + idleLimitNanos - now);
  }

  private void cancelAll() {
    heldUntilConnack.release();
    if (connectDeadline != null) {
      connectDeadline.cancel(false);
    }
    if (packetCheck != null) {
      packetCheck.cancel(false);
    }
    if (idleCheck != null) {
      idleCheck.cancel(false);
    }
  }
}
