package io.edgegate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.journal.JournalEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The payload reaches the event with no copy where Vert.x made one, and intact otherwise. */
class PublishToEventTest {
  private static final byte[] BYTES = "{\"t\":21.5}".getBytes(StandardCharsets.UTF_8);

  private static MqttPublishMessage publish(BufferInternal payload) {
    return MqttPublishMessage.create(
        7, MqttQoS.AT_LEAST_ONCE, false, false, "d/t", payload, MqttProperties.NO_PROPERTIES);
  }

  @Test
  void vertxsOwnHeapCopyIsTakenWithoutAnother() {
    // As vertx-mqtt hands it on: copied out of Netty's pooled buffer into Vert.x's heap buffer.
    ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(BYTES);
    MqttPublishMessage m = publish(BufferInternal.safeBuffer(pooled));
    JournalEvent e = PublishToEvent.convert(m, "dev-1", new UUID(1, 2), 5);
    assertThat(e.payload()).isEqualTo(BYTES);
    assertThat(PublishToEvent.payload(m)).isSameAs(e.payload());
    assertThat(e.clientIdUtf8()).isEqualTo("dev-1".getBytes(StandardCharsets.UTF_8));
    assertThat(e.topic()).isEqualTo("d/t");
  }

  @Test
  void aBufferSharedWithOthersIsCopied() {
    byte[] around =
        ("xx" + new String(BYTES, StandardCharsets.UTF_8) + "yy").getBytes(StandardCharsets.UTF_8);
    ByteBuf larger = Unpooled.wrappedBuffer(around).slice(2, BYTES.length); // part of an array
    MqttPublishMessage m = publish(BufferInternal.buffer(larger));
    byte[] got = PublishToEvent.payload(m);
    assertThat(got).isEqualTo(BYTES);
    ByteBuf direct = Unpooled.directBuffer().writeBytes(BYTES);
    assertThat(PublishToEvent.payload(publish(BufferInternal.buffer(direct)))).isEqualTo(BYTES);
    ByteBuf exact = Unpooled.wrappedBuffer(BYTES.clone()); // Netty's, not Vert.x's copy
    MqttPublishMessage n = publish(BufferInternal.buffer(exact));
    assertThat(PublishToEvent.payload(n)).isEqualTo(BYTES).isNotSameAs(exact.array());
  }
}
