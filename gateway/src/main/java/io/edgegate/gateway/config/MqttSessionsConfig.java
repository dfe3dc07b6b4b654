package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/**
 * {@code mqtt.sessions.*}: persistent sessions (MQTT 3.1.1 CleanSession=0, MQTT 5 Session Expiry
 * Interval &gt; 0). A session keeps a device's inbound QoS 2 packet ids, its subscriptions and the
 * commands queued for it across reconnects and gateway restarts (on disk under {@code
 * <gateway.dataDir>/sessions}).
 */
public final class MqttSessionsConfig {
  @KeyDoc(
      value =
          "Persistent sessions kept at once (connected or not). A device asking for a new "
              + "one over the bound is refused: MQTT 5 CONNACK 0x97 (quota exceeded), MQTT 3.1.1 "
              + "return code 3 (server unavailable).",
      unit = "sessions")
  public int max = 10_000;

  @KeyDoc(
      "Longest a disconnected session is kept. MQTT 3.1.1 sessions never expire by the "
          + "protocol: they get this value. An MQTT 5 Session Expiry Interval above it is "
          + "capped to it (and the CONNACK says so).")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration maxExpiry = Duration.ofDays(7);

  @KeyDoc(
      value =
          "Subscriptions per session; a SUBSCRIBE over it is refused (SUBACK 0x97 quota exceeded).",
      unit = "subscriptions")
  public int maxSubscriptions = 32;

  @KeyDoc(
      value =
          "Commands a session holds for its device, queued and unacknowledged together; one"
              + " more is refused with reason `queue-full`.",
      unit = "commands")
  public int maxQueued = 100;

  @KeyDoc("Highest QoS granted to a subscription (0, 1 or 2).")
  public int maxQos = 2;

  @KeyDoc("How often disconnected sessions and queued commands are checked for expiry.")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration expiryCheckInterval = Duration.ofSeconds(1);

  void validate(Problems problems) {
    problems.require(max >= 0, "mqtt.sessions.max", "must be 0 (none) or more (was " + max + ")");
    problems.require(
        maxExpiry != null && maxExpiry.toSeconds() >= 1 && maxExpiry.toSeconds() <= 0xFFFFFFFEL,
        "mqtt.sessions.maxExpiry",
        "must be from 1s to 4294967294s, the MQTT 5 Session Expiry Interval range");
    problems.require(
        maxSubscriptions >= 1 && maxSubscriptions <= 10_000,
        "mqtt.sessions.maxSubscriptions",
        "must be from 1 to 10000 (was " + maxSubscriptions + ")");
    problems.require(
        maxQueued >= 1 && maxQueued <= 65_535,
        "mqtt.sessions.maxQueued",
        "must be from 1 to 65535 (was " + maxQueued + ")");
    problems.require(
        maxQos >= 0 && maxQos <= 2,
        "mqtt.sessions.maxQos",
        "must be 0, 1 or 2 (was " + maxQos + ")");
    problems.require(
        expiryCheckInterval != null && expiryCheckInterval.toMillis() >= 10,
        "mqtt.sessions.expiryCheckInterval",
        "must be at least 10ms");
  }
}
