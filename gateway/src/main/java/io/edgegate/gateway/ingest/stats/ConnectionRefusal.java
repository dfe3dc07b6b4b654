package io.edgegate.gateway.ingest.stats;

/**
 * Why a connection was refused, or failed, before its CONNECT completed: the {@code reason} tag of
 * {@code edgegate.mqtt.connections.refused}. The CONNACK codes of the refusals that have one are in
 * {@code ingest.auth.Refusal} (authentication) and where the refusal is made.
 */
public enum ConnectionRefusal {
  // Before or in the CONNECT, by the decoder or the connection guard.
  /** Garbage, a packet other than CONNECT first, a wrong protocol name. */
  PROTOCOL_ERROR("protocol-error"),
  /** The decoder refused the client id (Netty's identifier check). */
  CLIENT_ID_REJECTED("client-id-rejected"),
  /** A packet larger than mqtt.maxMessageSize. */
  MESSAGE_TOO_LARGE("message-too-large"),
  /** The connection failed under the device (a reset) before CONNECT completed. */
  NETWORK_ERROR("network-error"),
  /** No complete CONNECT within mqtt.connectTimeout of the TCP accept. */
  CONNECT_TIMEOUT("connect-timeout"),
  /** An MQTT 5 Will with Will Retain 1: no retained messages are kept (0x9A). */
  RETAIN_NOT_SUPPORTED("retain-not-supported"),

  // Authentication and authorisation of the CONNECT (see Refusal for the codes).
  BAD_CREDENTIALS("bad-credentials"),
  BAD_AUTHENTICATION_METHOD("bad-authentication-method"),
  NOT_AUTHORIZED("not-authorized"),
  CLIENT_ID_INVALID("client-id-invalid"),
  WILL_NOT_AUTHORIZED("will-not-authorized"),
  SERVER_BUSY("server-busy"),

  /** mqtt.sessions.max persistent sessions are held already. */
  SESSIONS_FULL("sessions-full"),

  // At the TCP accept, by the listener's limits.
  /** mqtt.limits.maxConnections open already. */
  TOO_MANY_CONNECTIONS("too-many-connections"),
  /** mqtt.limits.maxConnectionsPerAddress open from this address already. */
  TOO_MANY_FROM_ADDRESS("too-many-from-address"),
  /** More new connections from one address than mqtt.limits.connectionRate. */
  CONNECTION_RATE_EXCEEDED("connection-rate-exceeded"),

  // The TLS handshake, by exception type (see TlsRefusals).
  /** Not TLS at all: plain MQTT (or anything else) on the TLS port. */
  TLS_NOT_TLS("tls-not-tls"),
  /** No complete handshake within mqtt.connectTimeout, e.g. a connection that never starts. */
  TLS_HANDSHAKE_TIMEOUT("tls-handshake-timeout"),
  /** The client certificate is not signed by mqtt.tls.clientCaFile, revoked or expired. */
  TLS_BAD_CERTIFICATE("tls-bad-certificate"),
  /** TLS 1.0/1.1 (or another version not offered), no client certificate, no common cipher. */
  TLS_HANDSHAKE_FAILED("tls-handshake-failed"),
  /**
   * The device closed the connection during the handshake: a TCP probe, or a device that gave up
   * (some close without an alert when they do not trust the server certificate).
   */
  TLS_CLOSED_IN_HANDSHAKE("tls-closed-in-handshake"),
  /** What else ends a handshake (the connection reset during it, ...). */
  TLS_ERROR("tls-error");

  private final String tag;

  ConnectionRefusal(String tag) {
    this.tag = tag;
  }

  /** The {@code reason} tag; also what the refusal log lines say. */
  public String tag() {
    return tag;
  }
}
