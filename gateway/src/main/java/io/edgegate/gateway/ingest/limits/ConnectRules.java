package io.edgegate.gateway.ingest.limits;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import java.nio.charset.StandardCharsets;

/** CONNECT rules that {@code vertx-mqtt} gets wrong, applied by {@link ConnectionGuard}. */
final class ConnectRules {
  private ConnectRules() {}

  /**
   * An MQTT 5 CONNECT with an empty client id and Clean Start 0. MQTT 5 (§3.1.3.1) dropped 3.1.1's
   * rule that an empty id needs a clean session, but {@code vertx-mqtt} still refuses it (0x85).
   * The gateway assigns such a device a new id (§3.1.3.1: the Server MAY), so there is no session
   * to resume: Clean Start 1 is what it means, and what {@code vertx-mqtt} is given.
   */
  static boolean emptyClientIdResumes(MqttConnectMessage c) {
    return c.variableHeader().version() >= 5
        && !c.variableHeader().isCleanSession()
        && (c.payload().clientIdentifier() == null || c.payload().clientIdentifier().isEmpty());
  }

  /** {@code c} with Clean Start 1, everything else as it came. */
  static MqttConnectMessage asCleanStart(MqttConnectMessage c) {
    MqttConnectVariableHeader h = c.variableHeader();
    return new MqttConnectMessage(
        c.fixedHeader(),
        new MqttConnectVariableHeader(
            h.name(),
            h.version(),
            h.hasUserName(),
            h.hasPassword(),
            h.isWillRetain(),
            h.willQos(),
            h.isWillFlag(),
            true,
            h.keepAliveTimeSeconds(),
            h.properties()),
        c.payload());
  }

  /**
   * True when the first bytes of a connection, {@code head[0..length)}, are a CONNECT whose
   * protocol level is 4 or 5 but whose protocol name is not "MQTT" [MQTT-3.1.2-1]. False when they
   * are too short to tell, or the level is one the gateway does not speak (then the 3.1.1 refusal
   * 0x01, unacceptable protocol version, is the answer both versions define).
   */
  static boolean wrongProtocolName(byte[] head, int length) {
    int at = 1; // after the fixed header's first byte: the Remaining Length, 1 to 4 bytes
    while (at < length && at < 5 && (head[at] & 0x80) != 0) {
      at++;
    }
    at++;
    if (at + 2 > length) {
      return false;
    }
    int nameLength = ((head[at] & 0xff) << 8) | (head[at + 1] & 0xff);
    at += 2;
    if (at + nameLength >= length) {
      // The name and the level after it are not all here: a name this long is not "MQTT"
      // (nor "MQIsdp"), but the level cannot be read; with a long name, close it.
      return nameLength > 6;
    }
    int level = head[at + nameLength] & 0xff;
    if (level != 4 && level != 5) {
      return false;
    }
    return nameLength != 4
        || !"MQTT".equals(new String(head, at, nameLength, StandardCharsets.UTF_8));
  }
}
