package io.edgegate.gateway.ingest;

import io.edgegate.gateway.session.Command;
import io.edgegate.gateway.session.CommandOutcomes;
import io.edgegate.gateway.session.CommandOutcomes.Outcome;
import io.edgegate.gateway.session.OutcomeReason;
import io.edgegate.gateway.session.Session;
import io.edgegate.gateway.session.SessionLink;
import io.edgegate.gateway.thread.Confinement;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.MqttPubAckMessage;
import io.vertx.mqtt.messages.MqttPubRecMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Predicate;

/**
 * Sends the commands of a connection's session to its device: at most the device's Receive Maximum
 * unacknowledged [MQTT-3.3.4-9], none larger than its Maximum Packet Size [MQTT-3.1.2-24], expired
 * ones not at all; in-flight ones sent again after a reconnect, with DUP=1 [MQTT-4.4.0-1].
 * <b>Confined to the connection's event loop</b> except {@link #wake}, which any thread may call.
 */
final class CommandDelivery implements SessionLink {
  private final MqttEndpoint endpoint;
  private final Context context;
  private final Session session;
  private final CommandOutcomes outcomes;
  private final Clock clock;
  private final int receiveMaximum;
  private final long maxPacketSize;
  private final boolean mqtt5;
  private final Predicate<String> mayReceive;
  private final int rememberDelivered;
  private boolean closed;

  CommandDelivery(
      MqttEndpoint endpoint,
      Context context,
      Session session,
      CommandOutcomes outcomes,
      Clock clock,
      int windowFor311,
      int rememberDelivered,
      Predicate<String> mayReceive) {
    this.endpoint = endpoint;
    this.context = context;
    this.session = session;
    this.outcomes = outcomes;
    this.clock = clock;
    this.mqtt5 = endpoint.protocolVersion() >= 5;
    MqttProperties p = endpoint.connectProperties();
    int receiveMax = windowFor311;
    long packetMax = Long.MAX_VALUE;
    if (mqtt5 && p != null) {
      var rm = p.getProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value());
      receiveMax = rm != null ? (Integer) rm.value() : 65535; // absent: 65535 (3.1.2.11.3)
      var mp = p.getProperty(MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value());
      if (mp != null) {
        packetMax = Integer.toUnsignedLong((Integer) mp.value());
      }
    }
    this.receiveMaximum = Math.max(1, receiveMax);
    this.maxPacketSize = packetMax;
    this.mayReceive = mayReceive;
    this.rememberDelivered = rememberDelivered;
  }

  @Override
  public void wake() {
    context.runOnContext(
        v -> {
          drain();
        });
  }

  /** After CONNACK with Session Present: what was in flight goes again, then the queue. */
  void resume() {
    assert Confinement.onContext(context);
    for (Session.Outbound o : session.inflight()) {
      if (o.released()) {
        endpoint.publishRelease(o.packetId()); // [MQTT-4.4.0-1] PUBREL again for a PUBREC'd one
      } else {
        publish(o.command(), o.packetId(), true);
      }
    }
    drain();
  }

  void drain() {
    if (closed || !endpoint.isConnected()) {
      return;
    }
    long now = clock.millis();
    while (session.inflightCount() < receiveMaximum) {
      Command c = session.nextQueued();
      if (c == null) {
        return;
      }
      if (c.expired(now)) {
        outcomes.report(c, Outcome.EXPIRED, OutcomeReason.TTL);
        continue;
      }
      if (!mayReceive.test(c.topic())) {
        outcomes.report(c, Outcome.REFUSED, OutcomeReason.NOT_AUTHORIZED);
        continue;
      }
      if (packetSize(c) > maxPacketSize) {
        outcomes.report(c, Outcome.REFUSED, OutcomeReason.TOO_LARGE);
        continue;
      }
      if (c.qos() == 0) {
        // No packet id at QoS 0 [MQTT-2.2.1-2]; the MQTT 5 properties go as at QoS 1 and 2.
        endpoint
            .publish(
                c.topic(),
                Buffer.buffer(c.payload()),
                MqttQoS.AT_MOST_ONCE,
                false,
                false,
                0,
                properties(c))
            .onComplete(
                ar -> {
                  if (ar.succeeded()) {
                    delivered(c);
                  } else {
                    outcomes.report(c, Outcome.REFUSED, OutcomeReason.WRITE_FAILED);
                  }
                });
      } else {
        publish(c, session.sending(c), false);
      }
    }
  }

  private void publish(Command c, int packetId, boolean dup) {
    endpoint.publish(
        c.topic(),
        Buffer.buffer(c.payload()),
        MqttQoS.valueOf(c.qos()),
        dup,
        false,
        packetId,
        properties(c));
  }

  private MqttProperties properties(Command c) {
    if (!mqtt5) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties p = new MqttProperties();
    if (c.expiresAt() > 0) {
      // [MQTT-3.3.2-6] the Message Expiry Interval sent is the time the message has left.
      long left = Math.max(1, (c.expiresAt() - clock.millis() + 999) / 1000);
      p.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(),
              (int) Math.min(left, Integer.MAX_VALUE)));
    }
    if (c.contentType() != null) {
      p.add(
          new MqttProperties.StringProperty(
              MqttProperties.MqttPropertyType.CONTENT_TYPE.value(), c.contentType()));
    }
    if (c.responseTopic() != null) {
      p.add(
          new MqttProperties.StringProperty(
              MqttProperties.MqttPropertyType.RESPONSE_TOPIC.value(), c.responseTopic()));
      p.add(
          new MqttProperties.BinaryProperty(
              MqttProperties.MqttPropertyType.CORRELATION_DATA.value(),
              c.id().getBytes(StandardCharsets.UTF_8)));
    }
    return p;
  }

  /** An upper bound of the PUBLISH packet's size on the wire. */
  private long packetSize(Command c) {
    long size = 5 + 2 + utf8Length(c.topic()) + 2 + c.payload().length;
    if (mqtt5) {
      size += 4 + 5; // property length and expiry
      size += c.contentType() == null ? 0 : 3 + utf8Length(c.contentType());
      size +=
          c.responseTopic() == null ? 0 : 6 + utf8Length(c.responseTopic()) + utf8Length(c.id());
    }
    return size;
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** PUBACK of a QoS 1 command. */
  void acknowledged(MqttPubAckMessage ack) {
    assert Confinement.onContext(context);
    Command c = session.acknowledged(ack.messageId());
    if (c != null) {
      if (ack.code() != null && ack.code().isError()) {
        outcomes.report(c, Outcome.REFUSED, OutcomeReason.DEVICE_REFUSED, ack.code().value());
      } else {
        delivered(c);
      }
    }
    drain();
  }

  /** PUBREC of a QoS 2 command: PUBREL, unless the device refused it (MQTT 5, code &gt;= 0x80). */
  void received(MqttPubRecMessage rec) {
    assert Confinement.onContext(context);
    int id = rec.messageId();
    if (rec.code() != null && rec.code().isError()) {
      Command c = session.acknowledged(id); // a PUBREC >= 0x80 ends the exchange (4.3.3)
      if (c != null) {
        outcomes.report(c, Outcome.REFUSED, OutcomeReason.DEVICE_REFUSED, rec.code().value());
      }
      drain();
      return;
    }
    session.received(id);
    endpoint.publishRelease(id);
  }

  /** PUBCOMP of a QoS 2 command. */
  void completed(int packetId) {
    assert Confinement.onContext(context);
    Command c = session.acknowledged(packetId);
    if (c != null) {
      delivered(c);
    }
    drain();
  }

  private void delivered(Command c) {
    session.delivered(c, rememberDelivered);
    outcomes.report(c, Outcome.DELIVERED, null);
  }

  void close() {
    assert Confinement.onContext(context);
    closed = true;
  }
}
