package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/** {@code mqtt.*}: the device-facing MQTT 3.1.1/5 listener. */
public final class MqttConfig {
  /** Address to listen on; {@code 0.0.0.0} for all interfaces. */
  public String host = "0.0.0.0";

  /** TCP port; 0 picks a free one (tests). */
  public int port = 1883;

  /**
   * Listener instances, one per event loop; 0 means one per available core. More instances spread
   * connections over more event loops.
   */
  public int instances = 0;

  /** Largest MQTT packet accepted; a bigger one closes that connection only. */
  @JsonDeserialize(using = ConfigValues.SizeDeserializer.class)
  public long maxMessageSize = 256 * 1024;

  /** Longest client identifier accepted (the spec's minimum is 23; device ids are often UUIDs). */
  public int maxClientIdLength = 128;

  /** A connection that sends no CONNECT within this time is closed. */
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration connectTimeout = Duration.ofSeconds(10);

  /** TLS and client certificates; see {@link MqttTlsConfig}. */
  public MqttTlsConfig tls = new MqttTlsConfig();

  /** Who may connect; see {@link MqttAuthConfig}. */
  public MqttAuthConfig auth = new MqttAuthConfig();

  /** Where each device may publish and subscribe; see {@link MqttAclConfig}. */
  public MqttAclConfig acl = new MqttAclConfig();

  /** Connection, rate and in-flight limits; see {@link MqttLimitsConfig}. */
  public MqttLimitsConfig limits = new MqttLimitsConfig();

  /** Persistent sessions; see {@link MqttSessionsConfig}. */
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
