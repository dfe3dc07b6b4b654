package io.edgegate.gateway.ingest;

import io.edgegate.gateway.journal.JournalEvent;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.VertxHeapByteBuf;
import io.vertx.core.buffer.impl.VertxUnsafeHeapByteBuf;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A device's PUBLISH as the event the journal keeps: topic, QoS and payload, and from MQTT 5 the
 * content type, user properties, message expiry, response topic, correlation data and payload
 * format indicator. Stateless; any thread.
 */
final class PublishToEvent {
  private PublishToEvent() {}

  static JournalEvent convert(
      MqttPublishMessage message, String clientId, UUID eventId, long receivedAt) {
    MqttProperties props = message.properties();
    String contentType = null;
    List<JournalEvent.UserProperty> userProps = List.of();
    long expiresAt = JournalEvent.NEVER;
    String responseTopic = null;
    byte[] correlation = null;
    int payloadFormat = JournalEvent.PAYLOAD_UNSPECIFIED;
    if (props != null && !props.isEmpty()) {
      MqttProperties.MqttProperty<?> ct = props.getProperty(MqttProperties.CONTENT_TYPE);
      if (ct != null && ct.value() instanceof String s) {
        contentType = s;
      }
      List<? extends MqttProperties.MqttProperty> ups =
          props.getProperties(MqttProperties.USER_PROPERTY);
      if (!ups.isEmpty()) {
        userProps = new ArrayList<>(ups.size());
        for (MqttProperties.MqttProperty<?> p : ups) {
          addUserProperties(p.value(), userProps);
        }
        userProps = Collections.unmodifiableList(userProps);
      }
      // A Four Byte Integer, unsigned: up to 2^32-1 seconds (MQTT 5 §3.3.2.3.3). 0 is taken as
      // none: a lifetime of 0 s would drop every such event, as no forwarding takes no time.
      if (props.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL)
              instanceof MqttProperties.IntegerProperty expiry
          && expiry.value() != 0) {
        expiresAt = receivedAt + Integer.toUnsignedLong(expiry.value()) * 1000L;
      }
      if (props.getProperty(MqttProperties.RESPONSE_TOPIC)
          instanceof MqttProperties.StringProperty rt) {
        responseTopic = rt.value();
      }
      if (props.getProperty(MqttProperties.CORRELATION_DATA)
          instanceof MqttProperties.BinaryProperty cd) {
        correlation = cd.value();
      }
      if (props.getProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR)
              instanceof MqttProperties.IntegerProperty pf
          && pf.value() == JournalEvent.PAYLOAD_UTF8) {
        payloadFormat = JournalEvent.PAYLOAD_UTF8;
      }
    }
    return new JournalEvent(
        JournalEvent.UNAPPENDED,
        eventId,
        receivedAt,
        message.qosLevel().value(),
        clientId,
        message.topicName(),
        contentType,
        userProps,
        expiresAt,
        responseTopic,
        correlation,
        payloadFormat,
        payload(message));
  }

  /**
   * The payload's bytes, without a copy where Vert.x already made one: vertx-mqtt copies each
   * payload out of Netty's pooled buffer into a heap buffer of Vert.x's own (never pooled, never
   * written after, its release a no-op), and when that buffer's array is exactly the payload it is
   * taken as it is. Otherwise (Netty's buffer itself, shared with the decoder) a copy.
   */
  static byte[] payload(MqttPublishMessage message) {
    Buffer payload = message.payload();
    if (payload instanceof BufferInternal b) {
      ByteBuf buf = b.getByteBuf(); // a slice: the same memory, not a copy
      ByteBuf own = buf.unwrap();
      if ((own instanceof VertxHeapByteBuf || own instanceof VertxUnsafeHeapByteBuf)
          && buf.hasArray()
          && buf.arrayOffset() == 0
          && buf.readableBytes() == buf.array().length
          && payload.length() == buf.readableBytes()) {
        return buf.array();
      }
    }
    return payload.getBytes();
  }

  private static void addUserProperties(Object value, List<JournalEvent.UserProperty> out) {
    if (value instanceof MqttProperties.StringPair pair) {
      out.add(new JournalEvent.UserProperty(pair.key, pair.value));
    } else if (value instanceof List<?> list) {
      for (Object o : list) {
        addUserProperties(o, out);
      }
    }
  }
}
