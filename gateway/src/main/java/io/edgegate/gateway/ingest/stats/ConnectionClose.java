package io.edgegate.gateway.ingest.stats;

/**
 * Why the gateway closed an accepted connection: the {@code reason} tag of {@code
 * edgegate.mqtt.connections.closed}.
 */
public enum ConnectionClose {
  /** Silent for one and a half times its Keep Alive [MQTT-3.1.2-24]. */
  KEEP_ALIVE_TIMEOUT("keep-alive-timeout"),
  /** A packet started and did not complete within mqtt.limits.packetTimeout. */
  PACKET_TIMEOUT("packet-timeout"),
  /** Over its publish rate with mqtt.limits.overRate: disconnect. */
  RATE_EXCEEDED("rate-exceeded"),
  /** More QoS 1/2 publishes unacknowledged than the gateway's Receive Maximum. */
  RECEIVE_MAXIMUM_EXCEEDED("receive-maximum-exceeded");

  private final String tag;

  ConnectionClose(String tag) {
    this.tag = tag;
  }

  /** The {@code reason} tag; also what the log lines say. */
  public String tag() {
    return tag;
  }
}
