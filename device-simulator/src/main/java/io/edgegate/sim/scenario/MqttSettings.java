package io.edgegate.sim.scenario;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/** {@code mqtt.*}: where and how the devices connect. */
public final class MqttSettings {
  /** Broker (gateway) host name or address. */
  public String host = "127.0.0.1";

  public int port = 1883;

  /** Protocol version: {@code 5} (MQTT 5) or {@code 3} (MQTT 3.1.1). */
  public int version = 5;

  /** QoS of every publish: 0, 1 or 2. */
  public int qos = 1;

  @JsonDeserialize(using = Values.DurationDeserializer.class)
  public Duration keepAlive = Duration.ofSeconds(60);

  /** How long one connection attempt (TCP, TLS and CONNACK) may take. */
  @JsonDeserialize(using = Values.DurationDeserializer.class)
  public Duration connectTimeout = Duration.ofSeconds(10);

  /** User name sent in CONNECT; {@code {deviceId}} is replaced by the device's id. */
  public String username;

  /** Password sent in CONNECT (needs a user name on MQTT 3.1.1). */
  public String password;

  public TlsSettings tls = new TlsSettings();

  @JsonIgnore
  public boolean isMqtt5() {
    return version == 5;
  }

  void validate(Problems p) {
    p.require(host != null && !host.isBlank(), "mqtt.host", "must not be empty");
    p.range(port, 1, 65535, "mqtt.port");
    p.require(
        version == 3 || version == 5,
        "mqtt.version",
        "must be 3 (MQTT 3.1.1) or 5 (was " + version + ")");
    p.range(qos, 0, 2, "mqtt.qos");
    p.require(
        keepAlive != null && !keepAlive.isNegative() && keepAlive.toSeconds() <= 65535,
        "mqtt.keepAlive",
        "must be from 0s (off) to 65535s");
    p.require(
        connectTimeout != null && connectTimeout.toMillis() >= 100,
        "mqtt.connectTimeout",
        "must be at least 100ms");
    p.require(
        password == null || username != null || version == 5,
        "mqtt.password",
        "MQTT 3.1.1 allows a password only with a user name");
    tls.validate(p);
  }
}
