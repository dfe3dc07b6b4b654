package io.edgegate.gateway.ingest.auth;

import io.edgegate.gateway.ingest.stats.ConnectionRefusal;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/**
 * Why a CONNECT is refused, with its CONNACK code in MQTT 3.1.1 (section 3.2.2.3) and MQTT 5
 * (section 3.2.2.2), and the reason it is counted under.
 */
public enum Refusal {
  /** User name unknown or password wrong. 3.1.1: 0x04; 5: 0x86. */
  BAD_CREDENTIALS(
      ConnectionRefusal.BAD_CREDENTIALS,
      MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
      MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD),
  /**
   * No credentials and anonymous access is off, or an unusable certificate. 3.1.1: 0x05; 5: 0x87.
   */
  NOT_AUTHORIZED(
      ConnectionRefusal.NOT_AUTHORIZED,
      MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
      MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5),
  /**
   * The CONNECT's Will is on a topic the ACL does not let the device publish to. 3.1.1: 0x05; 5:
   * 0x87.
   */
  WILL_NOT_AUTHORIZED(
      ConnectionRefusal.WILL_NOT_AUTHORIZED,
      MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
      MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5),
  /** The client id breaks the rules or is not the authenticated identity. 3.1.1: 0x02; 5: 0x85. */
  CLIENT_ID_INVALID(
      ConnectionRefusal.CLIENT_ID_INVALID,
      MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
      MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID),
  /**
   * MQTT 5 enhanced authentication (an Authentication Method in the CONNECT), which the gateway
   * does not offer. 5: 0x8C (MQTT 5 §3.1.2.11.9: the Server MAY refuse it so); 3.1.1 cannot send
   * one.
   */
  BAD_AUTHENTICATION_METHOD(
      ConnectionRefusal.BAD_AUTHENTICATION_METHOD,
      MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
      MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD),
  /** Too many password checks waiting. 3.1.1: 0x03 (server unavailable); 5: 0x89. */
  SERVER_BUSY(
      ConnectionRefusal.SERVER_BUSY,
      MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
      MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY);

  private final ConnectionRefusal reason;
  private final MqttConnectReturnCode mqtt3;
  private final MqttConnectReturnCode mqtt5;

  Refusal(ConnectionRefusal reason, MqttConnectReturnCode mqtt3, MqttConnectReturnCode mqtt5) {
    this.reason = reason;
    this.mqtt3 = mqtt3;
    this.mqtt5 = mqtt5;
  }

  /** What {@code edgegate.mqtt.connections.refused} counts it under. */
  public ConnectionRefusal reason() {
    return reason;
  }

  /** The CONNACK code for a device speaking {@code protocolVersion} (4: 3.1.1, 5: MQTT 5). */
  public MqttConnectReturnCode code(int protocolVersion) {
    return protocolVersion >= 5 ? mqtt5 : mqtt3;
  }
}
