package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code mqtt.limits.*}: what one device, or one network address, may take from the gateway.
 * Together with {@code mqtt.maxMessageSize}, {@code mqtt.maxClientIdLength} and {@code
 * mqtt.connectTimeout}.
 */
public final class MqttLimitsConfig {
  /** What happens to a device that publishes faster than {@code publishRate}. */
  public enum OverRate {
    /** Its socket stops being read until it is within the rate again: TCP backpressure, no loss. */
    PAUSE,
    /**
     * It is disconnected (MQTT 5: DISCONNECT 0x96, message rate too high); unacknowledged events
     * are sent again by the device when it reconnects.
     */
    DISCONNECT
  }

  @KeyDoc(
      value =
          "Open device connections, counted from the TCP accept; more are closed at once "
              + "(`too-many-connections`). Raise it a little above the fleet's size so that a "
              + "reconnect storm's overlap is not refused.",
      unit = "connections")
  public int maxConnections = 10_000;

  @KeyDoc(
      value =
          "Open connections from one IP address; 0: no limit (devices behind one NAT share "
              + "an address).",
      unit = "connections")
  public int maxConnectionsPerAddress = 0;

  @KeyDoc(
      value =
          "New connections per second from one IP address, counted at the TCP accept (after"
              + " the TLS handshake on a TLS listener); more are closed at once "
              + "(`connection-rate-exceeded`). 0 (the default): no limit. One host reconnecting "
              + "in a loop then cannot take the listener's time and the password checks from the "
              + "others; devices behind one NAT share an address, so allow for their reconnects "
              + "after an outage.",
      unit = "connections/s")
  public double connectionRate = 0;

  @KeyDoc(
      value =
          "Connections one address may open at once above `connectionRate`; 0: ten seconds' worth.",
      unit = "connections")
  public int connectionBurst = 0;

  @KeyDoc(
      "Longest keep-alive granted. An MQTT 5 device asking for more (or for none) is "
          + "told this value (CONNACK Server Keep Alive); any connection silent for 1.5 times"
          + " it is closed.")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration maxKeepAlive = Duration.ofMinutes(10);

  @KeyDoc(
      "Regular expression a client id must match entirely (besides "
          + "`mqtt.maxClientIdLength`). The default keeps out `/`, `+`, `#`, spaces and "
          + "control characters.")
  public String clientIdPattern = "[A-Za-z0-9._:@-]+";

  @KeyDoc(
      "A packet must arrive whole within this time of its first byte: a connection that"
          + " trickles bytes (slow loris) is closed. `mqtt.connectTimeout` bounds the time "
          + "from TCP accept to a complete CONNECT the same way.")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration packetTimeout = Duration.ofSeconds(30);

  @KeyDoc(
      value =
          "Sustained PUBLISH packets per second per device (a token bucket); over it, "
              + "`overRate` applies. Counted in `edgegate_mqtt_publish_throttled_total`. 0: no "
              + "limit.",
      unit = "packets/s")
  public double publishRate = 0;

  @KeyDoc(
      value = "PUBLISH packets a device may send at once above the rate; 0: one second's worth.",
      unit = "packets")
  public int publishBurst = 0;

  @KeyDoc(
      "Over the rate: `pause`, the device's socket stops being read until it is within "
          + "the rate again (TCP backpressure, no loss); `disconnect`, it is disconnected "
          + "(MQTT 5: DISCONNECT 0x96, message rate too high) and sends again what was not "
          + "acknowledged after reconnecting.")
  public OverRate overRate = OverRate.PAUSE;

  @KeyDoc(
      value =
          "QoS 1/2 publishes a device may have unacknowledged. Sent to MQTT 5 devices as "
              + "Receive Maximum (one that exceeds it is disconnected with 0x93); an MQTT 3.1.1 "
              + "device's socket is paused at the limit until acknowledgements go out.",
      unit = "publishes")
  public int maxInflight = 128;

  @KeyDoc(
      value =
          "Topic aliases an MQTT 5 device may define on one connection (CONNACK Topic Alias"
              + " Maximum); 0: none. Each alias holds its topic name in memory for the life of "
              + "the connection, so the bound is this many topic names per connection. An alias "
              + "outside 1..this is answered with DISCONNECT 0x94.",
      unit = "aliases")
  public int topicAliasMaximum = 16;

  @KeyDoc(
      value =
          "MQTT 3.1.1 QoS 1/2 events one connection may hold while the journal refuses "
              + "events as full (3.1.1 has no negative acknowledgement): they wait, with the "
              + "socket paused, and are appended in order once it takes events again. One more "
              + "closes the connection (the device sends them again). Each holds its event in "
              + "memory: the bound is this many events per connection.",
      unit = "events")
  public int maxHeldEvents = 1024;

  void validate(Problems problems) {
    problems.require(maxConnections >= 1, "mqtt.limits.maxConnections", "must be at least 1");
    problems.require(
        maxConnectionsPerAddress >= 0,
        "mqtt.limits.maxConnectionsPerAddress",
        "must be 0 (no limit) or more");
    problems.require(
        connectionRate >= 0 && !Double.isNaN(connectionRate) && connectionRate <= 100_000,
        "mqtt.limits.connectionRate",
        "must be from 0 (no limit) to 100000 per second (was " + connectionRate + ")");
    problems.require(
        connectionBurst >= 0,
        "mqtt.limits.connectionBurst",
        "must be 0 (10 seconds' worth) or more (was " + connectionBurst + ")");
    problems.require(
        maxKeepAlive != null && maxKeepAlive.toSeconds() >= 1 && maxKeepAlive.toSeconds() <= 65535,
        "mqtt.limits.maxKeepAlive",
        "must be from 1s to 65535s, the MQTT limit");
    problems.require(
        packetTimeout != null && packetTimeout.toMillis() >= 1000,
        "mqtt.limits.packetTimeout",
        "must be at least 1s");
    problems.require(
        publishRate >= 0 && !Double.isNaN(publishRate) && publishRate <= 1_000_000,
        "mqtt.limits.publishRate",
        "must be from 0 (no limit) to 1000000 per second (was " + publishRate + ")");
    problems.require(
        publishBurst >= 0, "mqtt.limits.publishBurst", "must be 0 (the rate's worth) or more");
    problems.require(overRate != null, "mqtt.limits.overRate", "must be pause or disconnect");
    problems.require(
        maxInflight >= 1 && maxInflight <= 65535,
        "mqtt.limits.maxInflight",
        "must be from 1 to 65535, the MQTT 5 Receive Maximum range (was " + maxInflight + ")");
    problems.require(
        topicAliasMaximum >= 0 && topicAliasMaximum <= 65535,
        "mqtt.limits.topicAliasMaximum",
        "must be from 0 (no aliases) to 65535, the MQTT 5 range (was " + topicAliasMaximum + ")");
    problems.require(
        maxHeldEvents >= 1 && maxHeldEvents <= 65535,
        "mqtt.limits.maxHeldEvents",
        "must be from 1 to 65535, the most packet ids in flight (was " + maxHeldEvents + ")");
    if (clientIdPattern == null || clientIdPattern.isEmpty()) {
      problems.add("mqtt.limits.clientIdPattern", "must not be empty");
    } else {
      try {
        Pattern.compile(clientIdPattern);
      } catch (PatternSyntaxException e) {
        problems.add(
            "mqtt.limits.clientIdPattern",
            "is not a regular expression: "
                + e.getDescription()
                + " (was '"
                + clientIdPattern
                + "')");
      }
    }
  }

  /** The bucket size of the connection rate limiter. */
  public int effectiveConnectionBurst() {
    return connectionBurst > 0
        ? connectionBurst
        : (int) Math.max(1, Math.ceil(connectionRate * 10));
  }

  /** The bucket size of the publish rate limiter. */
  public int effectiveBurst() {
    return publishBurst > 0 ? publishBurst : (int) Math.max(1, Math.ceil(publishRate));
  }
}
