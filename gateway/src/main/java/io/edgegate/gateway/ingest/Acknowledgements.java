package io.edgegate.gateway.ingest;

import io.edgegate.gateway.thread.Confinement;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubCompReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a device is told about its packets, in the words of its protocol version. MQTT 5 carries a
 * reason code on every acknowledgement and lets the server send DISCONNECT; MQTT 3.1.1 has neither,
 * so its refusals are decided by the callers (a close, or an acknowledgement of a dropped event).
 * <b>Confined to the connection's event loop.</b>
 */
final class Acknowledgements {
  private final Confinement.Owner owner = Confinement.firstCaller();
  private final MqttEndpoint endpoint;
  private final DevicePolicy policy;
  private final boolean mqtt5;

  Acknowledgements(MqttEndpoint endpoint, DevicePolicy policy) {
    this.endpoint = endpoint;
    this.policy = policy;
    this.mqtt5 = endpoint.protocolVersion() >= 5;
  }

  boolean mqtt5() {
    return mqtt5;
  }

  /**
   * MQTT 5 only: PUBACK (QoS 1) or PUBREC (QoS 2) with {@code code} (&gt;= 0x80, which ends the
   * exchange) and {@code reason} as Reason String.
   */
  void refusePublish(int qos, int packetId, MqttPubAckReasonCode code, String reason) {
    assert owner.check();
    MqttProperties props = reasonString(reason);
    if (qos == 1) {
      endpoint.publishAcknowledge(packetId, code, props);
    } else {
      endpoint.publishReceived(packetId, MqttPubRecReasonCode.valueOf(code.value()), props);
    }
  }

  private MqttProperties reasonString(String reason) {
    if (!policy.problemInformation()) {
      return MqttProperties.NO_PROPERTIES; // [MQTT-3.1.2-29]: the device asked for none
    }
    MqttProperties props = new MqttProperties();
    props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
    return props;
  }

  /** PUBCOMP; to MQTT 5, 0x92 for an id the session no longer knows (3.7.2.1). */
  void publishComplete(int packetId, boolean known) {
    assert owner.check();
    if (!known && mqtt5) {
      endpoint.publishComplete(
          packetId,
          MqttPubCompReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
          MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.publishComplete(packetId);
    }
  }

  /** SUBACK: MQTT 3.1.1 has only the granted QoS or 0x80 failure per filter. */
  void subscribeAcknowledge(int id, List<MqttSubAckReasonCode> codes) {
    assert owner.check();
    if (mqtt5) {
      endpoint.subscribeAcknowledge(id, codes, MqttProperties.NO_PROPERTIES);
      return;
    }
    List<MqttQoS> granted = new ArrayList<>(codes.size());
    for (MqttSubAckReasonCode c : codes) {
      granted.add(c.isError() ? MqttQoS.FAILURE : MqttQoS.valueOf(c.value()));
    }
    endpoint.subscribeAcknowledge(id, granted);
  }

  /** UNSUBACK: MQTT 3.1.1 has no per-filter codes. */
  void unsubscribeAcknowledge(int id, List<MqttUnsubAckReasonCode> codes) {
    assert owner.check();
    if (mqtt5) {
      endpoint.unsubscribeAcknowledge(id, codes, MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.unsubscribeAcknowledge(id);
    }
  }

  /** CONNACK refusal when no session can be held: MQTT 5 0x97, MQTT 3.1.1 3 server unavailable. */
  void refuseConnectSessionsFull() {
    assert owner.check();
    endpoint.reject(
        mqtt5
            ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
            : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
  }

  /** Closes the connection, telling an MQTT 5 device why with a DISCONNECT first. */
  void disconnect(MqttDisconnectReasonCode code) {
    assert owner.check();
    EndpointSockets.closing(endpoint);
    if (mqtt5) {
      endpoint.disconnect(code, MqttProperties.NO_PROPERTIES); // closes the endpoint too
    } else {
      endpoint.close();
    }
  }
}
