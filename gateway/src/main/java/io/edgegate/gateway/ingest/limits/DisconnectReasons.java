package io.edgegate.gateway.ingest.limits;

/**
 * The MQTT 5 DISCONNECT reason codes the gateway sends when it closes a connection for a protocol
 * violation or a deadline (MQTT 5 §3.14.2.1). Constants only: any thread.
 */
final class DisconnectReasons {
  private DisconnectReasons() {}

  static final byte DISCONNECT_MALFORMED_PACKET = (byte) 0x81;
  static final byte DISCONNECT_PROTOCOL_ERROR = (byte) 0x82;
  static final byte DISCONNECT_TOPIC_ALIAS_INVALID = (byte) 0x94;
  static final byte DISCONNECT_PACKET_TOO_LARGE = (byte) 0x95;
  static final byte DISCONNECT_RETAIN_NOT_SUPPORTED = (byte) 0x9A;
  static final byte DISCONNECT_SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED = (byte) 0xA1;
  static final byte DISCONNECT_KEEP_ALIVE_TIMEOUT = (byte) 0x8D;
}
