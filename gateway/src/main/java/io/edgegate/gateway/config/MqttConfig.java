package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/** {@code mqtt.*}: the device-facing MQTT 3.1.1/5 listener. */
public final class MqttConfig {
  @KeyDoc(
      "Address the device listener binds to; `0.0.0.0` for all interfaces. Off "
          + "loopback, `mqtt.tls.enabled` must be set.")
  public String host = "0.0.0.0";

  @KeyDoc("TCP port; 0 picks a free one (tests).")
  public int port = 1883;

  @KeyDoc(
      value =
          "Listener instances, one per event loop; 0 means one per available core. More "
              + "instances spread connections over more event loops.",
      unit = "listeners")
  public int instances = 0;

  @KeyDoc(
      "Largest MQTT packet accepted; a bigger one closes that connection only. Sent to "
          + "MQTT 5 devices as Maximum Packet Size.")
  @JsonDeserialize(using = ConfigValues.SizeDeserializer.class)
  public long maxMessageSize = 256 * 1024;

  @KeyDoc(
      value =
          "Longest client identifier accepted (the spec's minimum is 23; device ids are "
              + "often UUIDs).",
      unit = "characters")
  public int maxClientIdLength = 128;

  @KeyDoc(
      "A connection that sends no complete CONNECT within this time of its TCP accept "
          + "is closed (`connect-timeout`); the TLS handshake is included.")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration connectTimeout = Duration.ofSeconds(10);

  @KeyDoc(
      "TLS on the device listener, and client certificates (mutual TLS). Plain TCP only"
          + " when chosen: if `mqtt.host` is not a loopback address, the gateway does not "
          + "start until `enabled` is set, `true` (TLS) or `false` (plain TCP, for a network "
          + "protected otherwise); on loopback an unset `enabled` means plain TCP. Details: "
          + "[security.md](security.md).")
  public MqttTlsConfig tls = new MqttTlsConfig();

  @KeyDoc(
      "Who may connect: a client certificate identity (`mqtt.tls.deviceIdFrom`), a user"
          + " name and password from `passwordFile`, or nobody at all when `anonymous` is "
          + "true. With none of these configured the gateway refuses to start (no device "
          + "could connect).")
  public MqttAuthConfig auth = new MqttAuthConfig();

  @KeyDoc(
      "Where each device may publish and subscribe. A topic is allowed when a rule "
          + "whose `access` covers the operation has a matching filter; otherwise it is "
          + "refused (MQTT 5: PUBACK/PUBREC/SUBACK 0x87; MQTT 3.1.1: `mqtt311Refusal`) and "
          + "never journaled. Filters are MQTT topic filters with variables replaced per "
          + "connection: `{clientId}`, `{username}`, `{identity}`, `{cert.cn}`, `{cert.o}`, "
          + "`{cert.ou}`, `{cert.san}`; a variable without a value, or holding `/`, `+` or "
          + "`#`, makes its rule not apply (it never widens a rule).")
  public MqttAclConfig acl = new MqttAclConfig();

  @KeyDoc(
      "What one device, or one network address, may take from the gateway: connections,"
          + " keep-alive, packet deadlines, publish rate, in-flight window, topic aliases. "
          + "Together with `mqtt.maxMessageSize`, `mqtt.maxClientIdLength` and "
          + "`mqtt.connectTimeout`.")
  public MqttLimitsConfig limits = new MqttLimitsConfig();

  @KeyDoc(
      "Persistent sessions (MQTT 3.1.1 CleanSession=0, MQTT 5 Session Expiry Interval >"
          + " 0): a device's inbound QoS 2 packet ids, its subscriptions and the commands "
          + "queued for it survive reconnects and gateway restarts, on disk under "
          + "`<gateway.dataDir>/sessions`.")
  public MqttSessionsConfig sessions = new MqttSessionsConfig();

  void validate(Problems problems) {
    problems.notBlank(host, "mqtt.host");
    problems.port(port, "mqtt.port");
    problems.require(instances >= 0, "mqtt.instances", "must be 0 (one per core) or more");
    problems.require(
        maxMessageSize >= 64 && maxMessageSize <= 256L * 1024 * 1024,
        "mqtt.maxMessageSize",
        "must be from 64 bytes to 256MiB, the MQTT limit (was " + maxMessageSize + ")");
    problems.require(
        maxClientIdLength >= 23 && maxClientIdLength <= 65535,
        "mqtt.maxClientIdLength",
        "must be from 23 to 65535 (was " + maxClientIdLength + ")");
    problems.require(
        connectTimeout != null && connectTimeout.toMillis() >= 1000,
        "mqtt.connectTimeout",
        "must be at least 1s");
    tls.validate(problems);
    auth.validate(problems);
    acl.validate(problems);
    limits.validate(problems);
    sessions.validate(problems);
  }

  /** The number of listener instances to deploy. */
  public int effectiveInstances() {
    return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
  }
}
