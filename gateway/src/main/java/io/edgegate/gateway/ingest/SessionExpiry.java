package io.edgegate.gateway.ingest;

import io.edgegate.gateway.thread.Confinement;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.mqtt.MqttEndpoint;

/**
 * The session expiry interval of one connection, in seconds: what the device asked for at CONNECT
 * capped by {@code mqtt.sessions.maxExpiry}, and what an MQTT 5 DISCONNECT changed it to.
 * <b>Confined to the connection's event loop.</b>
 */
final class SessionExpiry {
  private final Confinement.Owner owner = Confinement.firstCaller();
  private final long max;
  private final boolean mqtt5;
  private final long requested;
  private final long atConnect;
  private long seconds;

  SessionExpiry(MqttEndpoint endpoint, long maxSeconds) {
    this.max = maxSeconds;
    this.mqtt5 = endpoint.protocolVersion() >= 5;
    if (!mqtt5) {
      // MQTT 3.1.1 CleanSession=0 sessions never expire by the protocol: they get the maximum.
      this.requested = endpoint.isCleanSession() ? 0 : maxSeconds;
    } else {
      long asked = interval(endpoint.connectProperties());
      this.requested = asked < 0 ? 0 : asked; // absent: 0, the session ends with the connection
    }
    this.atConnect = Math.min(requested, maxSeconds);
    this.seconds = atConnect;
  }

  /** The interval in force. */
  long seconds() {
    assert owner.check();
    return seconds;
  }

  /** The server's limit replaced an MQTT 5 device's wish: CONNACK must say so (3.2.2.3.2). */
  boolean cappedForMqtt5() {
    assert owner.check();
    return mqtt5 && requested > atConnect;
  }

  /** An MQTT 5 DISCONNECT may change the interval (3.14.2.2.2). */
  void disconnect(MqttProperties properties) {
    assert owner.check();
    long asked = interval(properties);
    if (asked < 0 || !mqtt5) {
      return;
    }
    // 3.14.2.2.2: a session that was to end at disconnect cannot be made to outlive it.
    if (atConnect > 0 || asked == 0) {
      seconds = Math.min(asked, max);
    }
  }

  /** The Session Expiry Interval property (a Four Byte Integer, unsigned), or -1 if absent. */
  private static long interval(MqttProperties p) {
    var e =
        p == null
            ? null
            : p.getProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
    return e == null ? -1 : Integer.toUnsignedLong((Integer) e.value());
  }
}
