package io.edgegate.sim.simulate;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuthBuilder;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3Connect;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectBuilder;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.edgegate.sim.payload.Stamp;
import io.edgegate.sim.scenario.MqttSettings;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * An MQTT 3.1.1 device. 3.1.1 has no properties: the stamp travels only inside the payload. There
 * is no negative acknowledgement either: a broker that refuses an event closes the connection, and
 * the publish fails. Thread-safe (the HiveMQ client is).
 */
final class Mqtt3Link implements MqttLink {
  private final Mqtt3AsyncClient client;
  private final Mqtt3Connect connect;
  private final MqttTopic topic;
  private final MqttQos qos;

  Mqtt3Link(
      Mqtt3AsyncClient client,
      MqttSettings mqtt,
      String username,
      MqttLinks.Will will,
      MqttTopic topic,
      MqttQos qos) {
    this.client = client;
    this.topic = topic;
    this.qos = qos;
    Mqtt3ConnectBuilder b =
        Mqtt3Connect.builder().cleanSession(true).keepAlive((int) mqtt.keepAlive.toSeconds());
    if (username != null) {
      Mqtt3SimpleAuthBuilder.Complete auth = Mqtt3SimpleAuth.builder().username(username);
      if (mqtt.password != null) {
        auth = auth.password(mqtt.password.getBytes(StandardCharsets.UTF_8));
      }
      b.simpleAuth(auth.build());
    }
    if (will != null) {
      b.willPublish(
          Mqtt3Publish.builder()
              .topic(will.topic())
              .qos(will.qos())
              .retain(will.retain())
              .payload(will.payload().getBytes(StandardCharsets.UTF_8))
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
    return client
        .publish(Mqtt3Publish.builder().topic(topic).qos(qos).payload(payload).build())
        .thenApply(p -> null);
  }

  @Override
  public CompletableFuture<Void> disconnect(boolean withWill) {
    // [MQTT-3.14.4-3] On receipt of DISCONNECT the Server MUST discard any Will Message.
    return client.disconnect();
  }
}
