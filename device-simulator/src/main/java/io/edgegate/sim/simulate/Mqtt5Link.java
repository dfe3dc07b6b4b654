package io.edgegate.sim.simulate;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgegate.sim.payload.Stamp;
import io.edgegate.sim.scenario.MqttSettings;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An MQTT 5 device: the stamp also travels as user properties, the payload's content type as the
 * content type property. Thread-safe (the HiveMQ client is).
 */
final class Mqtt5Link implements MqttLink {
  private final Mqtt5AsyncClient client;
  private final Mqtt5Connect connect;
  private final MqttTopic topic;
  private final MqttQos qos;
  private final String contentType;

  Mqtt5Link(
      Mqtt5AsyncClient client,
      MqttSettings mqtt,
      String username,
      MqttLinks.Will will,
      MqttTopic topic,
      MqttQos qos,
      String contentType) {
    this.client = client;
    this.topic = topic;
    this.qos = qos;
    this.contentType = contentType;
    Mqtt5ConnectBuilder b =
        Mqtt5Connect.builder().cleanStart(true).keepAlive((int) mqtt.keepAlive.toSeconds());
    byte[] password = mqtt.password == null ? null : mqtt.password.getBytes(StandardCharsets.UTF_8);
    if (username != null && password != null) {
      b.simpleAuth().username(username).password(password).applySimpleAuth();
    } else if (username != null) {
      b.simpleAuth().username(username).applySimpleAuth();
    } else if (password != null) {
      b.simpleAuth().password(password).applySimpleAuth();
    }
    if (will != null) {
      b.willPublish(
          Mqtt5Publish.builder()
              .topic(will.topic())
              .qos(will.qos())
              .retain(will.retain())
              .payload(will.payload().getBytes(StandardCharsets.UTF_8))
              .asWill()
              .build());
    }
    this.connect = b.build();
  }

  @Override
  public CompletableFuture<?> connect() {
    return client.connect(connect);
  }

  @Override
  public CompletableFuture<Void> publish(Stamp stamp, byte[] payload) {
    Mqtt5Publish publish =
        Mqtt5Publish.builder()
            .topic(topic)
            .qos(qos)
            .payload(payload)
            .contentType(contentType)
            .userProperties(
                Mqtt5UserProperties.builder()
                    .add(Stamp.USER_PROPERTY_RUN, stamp.runId())
                    .add(Stamp.USER_PROPERTY_DEVICE, stamp.deviceId())
                    .add(Stamp.USER_PROPERTY_SEQ, Long.toString(stamp.seq()))
                    .add(Stamp.USER_PROPERTY_SENT_AT, Long.toString(stamp.sentAtMillis()))
                    .build())
            .build();
    return client
        .publish(publish)
        .thenApply(
            result -> {
              // A negative PUBACK/PUBREC completes the future normally, with the error inside.
              result
                  .getError()
                  .ifPresent(
                      e -> {
                        throw new CompletionException(e);
                      });
              return null;
            });
  }

  @Override
  public CompletableFuture<Void> disconnect(boolean withWill) {
    return withWill
        ? client
            .disconnectWith()
            .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
            .send()
        : client.disconnect();
  }
}
