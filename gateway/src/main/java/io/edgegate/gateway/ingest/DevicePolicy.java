package io.edgegate.gateway.ingest;

import io.edgegate.gateway.config.MqttAclConfig;
import io.edgegate.gateway.config.MqttConfig;
import io.edgegate.gateway.config.MqttLimitsConfig;
import io.edgegate.gateway.ingest.acl.DeviceAcl;
import io.edgegate.gateway.ingest.auth.DeviceIdentity;
import io.edgegate.gateway.ingest.limits.RateLimitedLog;
import io.edgegate.gateway.ingest.limits.TokenBucket;
import io.edgegate.gateway.ingest.stats.ConnectionClose;
import io.edgegate.gateway.ingest.stats.IngestStats;
import io.edgegate.gateway.thread.Confinement;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;

/**
 * What one device may do once connected: its ACL, its publish rate and its in-flight window, and
 * the pauses they put on its socket. <b>Confined to the connection's event loop.</b>
 */
final class DevicePolicy {
  private final Confinement.Owner owner = Confinement.firstCaller();
  private static final int MQTT_5 = 5;

  private final MqttEndpoint endpoint;
  private final Vertx vertx;
  private final DeviceIdentity identity;
  private final DeviceAcl acl;
  private final TokenBucket bucket; // null: no rate limit
  private final MqttLimitsConfig limits;
  private final MqttAclConfig.Mqtt311Refusal mqtt311Refusal;
  private final int maxKeepAlive;
  private final long maxMessageSize;
  private final IngestStats stats;
  private final RateLimitedLog log;
  private final SocketPauses pauses;
  private int inflight;
  private long rateTimer = -1;
  private boolean closed;

  DevicePolicy(
      MqttEndpoint endpoint,
      Vertx vertx,
      DeviceIdentity identity,
      DeviceAcl acl,
      MqttConfig config,
      IngestStats stats,
      RateLimitedLog log,
      SocketPauses pauses) {
    this.endpoint = endpoint;
    this.vertx = vertx;
    this.identity = identity;
    this.acl = acl;
    this.limits = config.limits;
    this.mqtt311Refusal = config.acl.mqtt311Refusal;
    this.maxKeepAlive = (int) Math.min(65535, config.limits.maxKeepAlive.toSeconds());
    this.maxMessageSize = config.maxMessageSize;
    this.bucket =
        limits.publishRate > 0
            ? new TokenBucket(limits.publishRate, limits.effectiveBurst(), System::nanoTime)
            : null;
    this.stats = stats;
    this.log = log;
    this.pauses = pauses;
  }

  DeviceIdentity identity() {
    return identity;
  }

  SocketPauses pauses() {
    return pauses;
  }

  boolean mqtt5() {
    return endpoint.protocolVersion() >= MQTT_5;
  }

  /** MQTT 3.1.1: a refused publish closes the connection (else: acknowledged and dropped). */
  boolean disconnectOnRefusal() {
    return mqtt311Refusal == MqttAclConfig.Mqtt311Refusal.DISCONNECT;
  }

  /**
   * The CONNACK properties of an MQTT 5 device: Receive Maximum (its in-flight window), Maximum
   * Packet Size, Topic Alias Maximum, Retain / Subscription Identifier / Shared Subscription
   * Available 0, and, when the gateway chose them, Server Keep Alive and Assigned Client
   * Identifier.
   */
  MqttProperties connackProperties() {
    if (!mqtt5()) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties p = new MqttProperties();
    p.add(
        new MqttProperties.IntegerProperty(
            MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value(), limits.maxInflight));
    p.add(
        new MqttProperties.IntegerProperty(
            MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), (int) maxMessageSize));
    if (limits.topicAliasMaximum > 0) {
      // Absent means 0: no aliases [MQTT-3.2.2-17]. The guard holds devices to it.
      p.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(),
              limits.topicAliasMaximum));
    }
    // Absent, each of these means "available" (MQTT 5 §3.2.2.3.5, .11, .12, .13). The gateway keeps
    // no retained messages, sends no Subscription Identifiers and routes nothing between devices,
    // so it says 0; the guard holds devices to it (0x9A, 0xA1; a shared filter gets SUBACK 0x9E).
    // Wildcard subscriptions and QoS 2 are served: Wildcard Subscription Available and Maximum
    // QoS stay absent.
    for (MqttProperties.MqttPropertyType notOffered :
        new MqttProperties.MqttPropertyType[] {
          MqttProperties.MqttPropertyType.RETAIN_AVAILABLE,
          MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE,
          MqttProperties.MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE
        }) {
      p.add(new MqttProperties.IntegerProperty(notOffered.value(), 0));
    }
    int asked = endpoint.keepAliveTimeSeconds();
    if (asked == 0 || asked > maxKeepAlive) {
      // [MQTT-3.2.2-21] The Client MUST use the Server Keep Alive value the Server returns.
      p.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.MqttPropertyType.SERVER_KEEP_ALIVE.value(), maxKeepAlive));
    }
    if (identity.assignedClientId()) {
      // [MQTT-3.2.2-16] A zero-length Client Identifier gets an Assigned Client Identifier.
      p.add(
          new MqttProperties.StringProperty(
              MqttProperties.MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(),
              identity.clientId()));
    }
    return p;
  }

  /**
   * Whether Reason Strings may go on acknowledgements: not when an MQTT 5 device's CONNECT set
   * Request Problem Information to 0 [MQTT-3.1.2-29].
   */
  boolean problemInformation() {
    MqttProperties connect = endpoint.connectProperties();
    MqttProperties.MqttProperty<?> asked =
        connect == null ? null : connect.getProperty(MqttProperties.REQUEST_PROBLEM_INFORMATION);
    return asked == null || !Integer.valueOf(0).equals(asked.value());
  }

  boolean mayPublish(String topic) {
    return acl.mayPublish(topic);
  }

  /** Logs a publish the ACL refused (rate-limited; the topic comes from the device). */
  void refusedPublish(String topic) {
    assert owner.check();
    log.info(
        "Refused a publish of '{}' to '{}': not allowed by mqtt.acl",
        RateLimitedLog.clean(identity.clientId()),
        RateLimitedLog.clean(topic));
  }

  /**
   * True if the ACL lets the device subscribe to {@code filter} (or receive on a topic). Stateless:
   * any thread (the command consumer checks commands with it).
   */
  boolean maySubscribe(String filter) {
    return acl.maySubscribe(filter);
  }

  /**
   * A PUBLISH arrived: takes a token from the rate. Over the rate the socket pauses until the
   * device is within it again (the packet itself goes on: it was read already); with {@code
   * overRate: disconnect} the device is disconnected instead and false returned.
   */
  boolean rateAllows() {
    assert owner.check();
    if (bucket == null) {
      return true;
    }
    long waitNanos = bucket.take();
    if (waitNanos == 0) {
      return true;
    }
    stats.throttled();
    if (limits.overRate == MqttLimitsConfig.OverRate.DISCONNECT) {
      log.info(
          "Disconnecting '{}': over its publish rate of {}/s",
          RateLimitedLog.clean(identity.clientId()),
          limits.publishRate);
      stats.connectionClosed(ConnectionClose.RATE_EXCEEDED);
      disconnect(MqttDisconnectReasonCode.MESSAGE_RATE_TOO_HIGH);
      return false;
    }
    if (rateTimer < 0) {
      pauses.pause(SocketPauses.RATE);
      scheduleResume(waitNanos);
    }
    return true;
  }

  private void scheduleResume(long waitNanos) {
    assert owner.check();
    rateTimer =
        vertx.setTimer(
            Math.max(1, (waitNanos + 999_999) / 1_000_000),
            id -> {
              rateTimer = -1;
              if (closed) {
                return;
              }
              double available = bucket.available();
              if (available < 0) {
                scheduleResume((long) Math.ceil(-available / limits.publishRate * 1e9));
              } else {
                pauses.resume(SocketPauses.RATE);
              }
            });
  }

  /**
   * A QoS 1/2 PUBLISH arrived and is now unacknowledged. Returns false when an MQTT 5 device went
   * over the Receive Maximum it was given (it is disconnected with 0x93); an MQTT 3.1.1 device,
   * which was told no window, has its socket paused at the limit instead.
   */
  boolean inflightAdded() {
    assert owner.check();
    inflight++;
    if (inflight <= limits.maxInflight) {
      if (inflight == limits.maxInflight && !mqtt5()) {
        pauses.pause(SocketPauses.INFLIGHT);
      }
      return true;
    }
    if (mqtt5()) {
      // 3.3.4: a Server that receives more than Receive Maximum unacknowledged QoS 1/2 PUBLISH
      // packets uses DISCONNECT with Reason Code 0x93 (Receive Maximum exceeded).
      stats.connectionClosed(ConnectionClose.RECEIVE_MAXIMUM_EXCEEDED);
      log.info(
          "Disconnecting '{}': more than {} unacknowledged publishes",
          RateLimitedLog.clean(identity.clientId()),
          limits.maxInflight);
      disconnect(MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
      return false;
    }
    pauses.pause(SocketPauses.INFLIGHT);
    return true;
  }

  /**
   * Closes the connection, MQTT 5 with a DISCONNECT first. {@code vertx-mqtt}'s {@code disconnect}
   * closes the endpoint itself; closing it again would throw.
   */
  private void disconnect(MqttDisconnectReasonCode code) {
    EndpointSockets.closing(endpoint);
    if (mqtt5()) {
      endpoint.disconnect(code, MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.close();
    }
  }

  /** A QoS 1/2 publish was answered (PUBACK, PUBCOMP, or a negative PUBACK/PUBREC). */
  void inflightDone() {
    assert owner.check();
    if (inflight > 0) {
      inflight--;
    }
    if (inflight < limits.maxInflight) {
      pauses.resume(SocketPauses.INFLIGHT);
    }
  }

  int inflight() {
    return inflight;
  }

  /** The in-flight window ({@code mqtt.limits.maxInflight}), each way. */
  /** MQTT 3.1.1 events held while the journal is full, at most ({@code mqtt.limits}). */
  int maxHeldEvents() {
    return limits.maxHeldEvents;
  }

  int window() {
    return limits.maxInflight;
  }

  void close() {
    assert owner.check();
    closed = true;
    if (rateTimer >= 0) {
      vertx.cancelTimer(rateTimer);
      rateTimer = -1;
    }
  }
}
