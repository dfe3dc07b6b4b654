package io.edgegate.sim.simulate;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import io.edgegate.sim.scenario.Scenario;
import io.edgegate.sim.scenario.TopicTemplate;
import java.util.concurrent.TimeUnit;

/** Builds each device's {@link MqttLink} from the scenario; holds what all devices share. */
final class MqttLinks {
  private final Scenario scenario;
  private final MqttClientTransportConfig transport;
  private final MqttQos qos;

  MqttLinks(Scenario scenario) {
    this.scenario = scenario;
    var mqtt = scenario.mqtt;
    var transportBuilder =
        MqttClientTransportConfig.builder()
            .serverHost(mqtt.host)
            .serverPort(mqtt.port)
            .socketConnectTimeout(mqtt.connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .mqttConnectTimeout(mqtt.connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    if (mqtt.tls.enabled) {
      transportBuilder.sslConfig(TlsConfig.of(mqtt.tls));
    }
    this.transport = transportBuilder.build();
    this.qos = MqttQos.fromCode(mqtt.qos);
  }

  MqttLink create(String deviceId, String contentType, MqttLink.Events events) {
    MqttClientBuilder builder =
        MqttClient.builder()
            .identifier(deviceId)
            .transportConfig(transport)
            .addConnectedListener(ctx -> events.connected())
            .addDisconnectedListener(
                ctx -> {
                  long delay =
                      events.disconnected(
                          ctx.getSource() == MqttDisconnectSource.USER,
                          ctx.getReconnector().getAttempts(),
                          ctx.getCause());
                  if (delay >= 0) {
                    ctx.getReconnector().reconnect(true).delay(delay, TimeUnit.MILLISECONDS);
                  }
                });
    MqttTopic topic = MqttTopic.of(TopicTemplate.expand(scenario.devices.topic, deviceId));
    String username =
        scenario.mqtt.username == null
            ? null
            : TopicTemplate.expand(scenario.mqtt.username, deviceId);
    Will will =
        scenario.will.enabled()
            ? new Will(
                MqttTopic.of(TopicTemplate.expand(scenario.will.topic, deviceId)),
                scenario.will.payload.replace(TopicTemplate.DEVICE_ID, deviceId),
                MqttQos.fromCode(scenario.will.qos),
                scenario.will.retain)
            : null;
    return scenario.mqtt.isMqtt5()
        ? new Mqtt5Link(
            builder.useMqttVersion5().buildAsync(),
            scenario.mqtt,
            username,
            will,
            topic,
            qos,
            contentType)
        : new Mqtt3Link(
            builder.useMqttVersion3().buildAsync(), scenario.mqtt, username, will, topic, qos);
  }

  /** A device's Last Will, resolved for that device. */
  record Will(MqttTopic topic, String payload, MqttQos qos, boolean retain) {}
}
