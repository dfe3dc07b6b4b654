package io.edgegate.gateway.ingest.limits;

import static io.edgegate.gateway.ingest.limits.DisconnectReasons.DISCONNECT_PROTOCOL_ERROR;
import static io.edgegate.gateway.ingest.limits.DisconnectReasons.DISCONNECT_TOPIC_ALIAS_INVALID;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.BitSet;

/**
 * The topic aliases one MQTT 5 connection defined, and the check of each PUBLISH's alias against
 * them and the Topic Alias Maximum [MQTT-3.3.2-7..12] (see {@link ConnectionGuard}). The aliases
 * known here are this connection's only [MQTT-3.3.2-7].
 *
 * <p><b>Confined to the connection's event loop</b>, as its {@link ConnectionGuard} is: {@link #ok}
 * is called on that event loop and asserts it.
 */
final class TopicAliases {
  private final ConnectionGuard guard;
  private BitSet defined; // created at the first definition

  TopicAliases(ConnectionGuard guard) {
    this.guard = guard;
  }

  /**
   * Checks an MQTT 5 PUBLISH's topic alias against {@code max}; false when it disconnected the
   * device. Called on the connection's event loop.
   */
  boolean ok(MqttPublishMessage p, int max) {
    assert guard.onEventLoop();
    String topic = p.variableHeader().topicName();
    MqttProperties.MqttProperty<?> property =
        p.variableHeader().properties().getProperty(MqttProperties.TOPIC_ALIAS);
    if (property == null) {
      if (topic.isEmpty()) {
        // A zero-length Topic Name needs a Topic Alias (MQTT 5 §3.3.2.1): a Protocol Error.
        guard.disconnect(DISCONNECT_PROTOCOL_ERROR, "empty topic name without a topic alias");
        return false;
      }
      return true;
    }
    int alias = (Integer) property.value();
    if (alias < 1 || alias > max) {
      // [MQTT-3.3.2-8] never 0; [MQTT-3.3.2-9] never above the Topic Alias Maximum of the CONNACK
      // (absent: 0). Reason code 0x94, Topic Alias invalid (MQTT 5 §3.3.2.3.4).
      guard.disconnect(
          DISCONNECT_TOPIC_ALIAS_INVALID, "topic alias " + alias + " outside 1.." + max);
      return false;
    }
    if (topic.isEmpty()) {
      if (defined == null || !defined.get(alias)) {
        // An alias used before this connection defined it (MQTT 5 §3.3.2.3.4): a Protocol Error.
        guard.disconnect(DISCONNECT_PROTOCOL_ERROR, "topic alias " + alias + " was never defined");
        return false;
      }
      return true;
    }
    if (defined == null) {
      defined = new BitSet(max + 1);
    }
    defined.set(alias); // [MQTT-3.3.2-12] defined, or redefined to this topic
    return true;
  }
}
