package io.edgegate.gateway.ingest;

import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalFullException;
import io.edgegate.gateway.journal.JournalWriter;
import io.edgegate.gateway.pipeline.EventProcessor;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's MQTT connection. <b>Confined to the event loop the connection arrived on.</b>
 *
 * <p>The acknowledgement rule lives here: a QoS 1 PUBACK or QoS 2 PUBREC is sent only after the
 * journal confirmed the event durable ({@link JournalWriter#append}), and only on the connection
 * that received it. If the journal cannot take the event, an MQTT 5 device gets a negative
 * acknowledgement with the reason (0x97 quota exceeded, 0x83 implementation error); an MQTT 3.1.1
 * device, which has no negative acknowledgement, is disconnected so that it sends the event again.
 *
 * <p>QoS 2: a PUBLISH repeated with the same packet id before its PUBREL is not journaled again
 * [MQTT-4.3.3-9]; this state is per connection.
 */
final class DeviceConnection {
  private static final Logger log = LoggerFactory.getLogger(DeviceConnection.class);
  private static final int MQTT_5 = 5;
  private static final int MAX_HELD = 1024;

  private final MqttEndpoint endpoint;
  private final Context context;
  private final JournalWriter journal;
  private final IngestThrottle throttle;
  private final DeviceRegistry registry;
  private final EventIds ids;
  private final Clock clock;
  private final IngestStats stats;
  private final String clientId;
  // QoS 2 packet ids: false while the append is pending, true once PUBREC was sent
  private final Map<Integer, Boolean> qos2 = new HashMap<>();
  // MQTT 3.1.1 QoS 1/2 events the journal refused as full, re-appended in order when it takes
  // events again; bounded because the socket is paused meanwhile (and capped below).
  private final java.util.ArrayDeque<Held> held = new java.util.ArrayDeque<>();
  private boolean paused;
  private boolean lifecycleEvents;
  private RecentPublishes recent; // QoS 1 redelivery detection, shared across connections
  private final Map<Integer, Integer> pendingHashes = new HashMap<>();
  private boolean cleanDisconnect;
  private boolean closed;
  private DevicePolicy policy; // ACL, rate, in-flight window: set before accept()

  DeviceConnection(
      MqttEndpoint endpoint,
      JournalWriter journal,
      IngestThrottle throttle,
      DeviceRegistry registry,
      EventIds ids,
      Clock clock,
      IngestStats stats) {
    this.endpoint = endpoint;
    this.context = Vertx.currentContext();
    this.journal = journal;
    this.throttle = throttle;
    this.registry = registry;
    this.ids = ids;
    this.clock = clock;
    this.stats = stats;
    this.clientId = endpoint.clientIdentifier();
  }

  String clientId() {
    return clientId;
  }

  void accept() {
    endpoint.publishAutoAck(false);
    endpoint.publishHandler(this::onPublish);
    endpoint.publishReleaseHandler(this::onPublishRelease);
    endpoint.subscribeHandler(this::onSubscribe);
    endpoint.unsubscribeHandler(u -> endpoint.unsubscribeAcknowledge(u.messageId()));
    endpoint.exceptionHandler(
        e -> log.debug("Connection of {} failed: {}", clientId, e.toString()));
    endpoint.closeHandler(v -> onClose());
    endpoint.disconnectHandler(v -> cleanDisconnect = true);
    registry.register(this);
    stats.connected();
    endpoint.accept(false, policy.connackProperties());
    if (lifecycleEvents) {
      lifecycle(
          "connected",
          new JsonObject()
              .put("clientId", clientId)
              .put("protocolVersion", endpoint.protocolVersion())
              .put("cleanSession", endpoint.isCleanSession())
              .put("keepAliveSeconds", endpoint.keepAliveTimeSeconds()));
    }
  }

  void recentPublishes(RecentPublishes recent) {
    this.recent = recent;
  }

  /** What this device may do (set by the admission, before {@link #accept}). */
  void policy(DevicePolicy policy) {
    this.policy = policy;
  }

  /** Connect and disconnect become events (journaled like any other, so they keep their order). */
  void lifecycleEvents(boolean on) {
    this.lifecycleEvents = on;
  }

  private void lifecycle(String kind, JsonObject body) {
    JournalEvent event =
        new JournalEvent(
            JournalEvent.UNAPPENDED,
            ids.next(),
            clock.millis(),
            0,
            clientId,
            EventProcessor.LIFECYCLE_TOPIC_PREFIX + kind,
            "application/json",
            List.of(),
            body.encode().getBytes(StandardCharsets.UTF_8));
    journal
        .append(event)
        .onFailure(
            e -> log.debug("Lifecycle event of {} not journaled: {}", clientId, e.toString()));
  }

  private JsonObject lostConnection() {
    JsonObject body = new JsonObject().put("clientId", clientId).put("reason", "connection-lost");
    MqttWill will = endpoint.will();
    if (will != null && will.isWillFlag()) {
      byte[] payload = will.getWillMessageBytes();
      JsonObject w =
          new JsonObject()
              .put("topic", will.getWillTopic())
              .put("qos", will.getWillQos())
              .put("retain", will.isWillRetain());
      String text = payload == null ? "" : new String(payload, StandardCharsets.UTF_8);
      if (payload != null
          && java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), payload)) {
        w.put("payload", text);
      } else {
        w.put("payloadBase64", java.util.Base64.getEncoder().encodeToString(payload));
      }
      body.put("will", w);
    }
    return body;
  }

  private void onPublish(MqttPublishMessage message) {
    String topic = message.topicName();
    if (!io.edgegate.gateway.ingest.acl.TopicFilters.validTopicName(topic)) {
      // [MQTT-3.3.2-2] The Topic Name in a PUBLISH packet MUST NOT contain wildcard characters;
      // [MQTT-1.5.4-1] nor ill-formed UTF-8, [MQTT-4.7.3-2] nor U+0000.
      protocolViolation("invalid topic name in PUBLISH: '" + topic + "'");
      return;
    }
    if (topic.startsWith("$edgegate/")) {
      // The gateway's own journal namespace (device lifecycle): a device must not forge it.
      protocolViolation("PUBLISH to the reserved topic '" + topic + "'");
      return;
    }
    int qos = message.qosLevel().value();
    int packetId = message.messageId();
    stats.received(qos);
    if (!policy.rateAllows()) {
      return; // over its rate with overRate: disconnect; not acknowledged, sent again later
    }
    if (!policy.mayPublish(topic)) {
      refuseUnauthorized(topic, qos, packetId);
      return;
    }
    if (!PayloadFormat.matches(message)) {
      refuseInvalidPayload(qos, packetId);
      return;
    }
    if (qos == 2) {
      Boolean state = qos2.get(packetId);
      if (state != null) {
        stats.duplicateSuppressed();
        if (state) {
          endpoint.publishReceived(packetId); // PUBREC lost: repeat it, do not journal again
        }
        return;
      }
      qos2.put(packetId, false);
    }
    int contentHash = 0;
    if (qos == 1 && recent != null) {
      contentHash = RecentPublishes.hash(topic, message.payload().getBytes());
      if (message.isDup() && recent.isRedelivery(clientId, packetId, contentHash)) {
        // Its PUBACK was lost; the event is journaled already: acknowledge, do not journal again.
        stats.duplicateSuppressed();
        endpoint.publishAcknowledge(packetId);
        return;
      }
    }
    if (qos > 0 && !policy.inflightAdded()) {
      return; // over the Receive Maximum: disconnected
    }
    JournalEvent event = toEvent(message, topic, qos);
    if (recent != null && qos == 1) {
      pendingHashes.put(packetId, contentHash);
    }
    if (!held.isEmpty()) {
      hold(new Held(event, qos, packetId)); // behind earlier refused events, to keep order
    } else {
      append(new Held(event, qos, packetId));
    }
    throttle.pauseIfNeeded(this);
  }

  private JournalEvent toEvent(MqttPublishMessage message, String topic, int qos) {
    MqttProperties props = message.properties();
    long receivedAt = clock.millis();
    String contentType = null;
    List<JournalEvent.UserProperty> userProps = List.of();
    long expiresAt = JournalEvent.NEVER;
    String responseTopic = null;
    byte[] correlation = null;
    int payloadFormat = JournalEvent.PAYLOAD_UNSPECIFIED;
    if (props != null && !props.isEmpty()) {
      MqttProperties.MqttProperty<?> ct = props.getProperty(MqttProperties.CONTENT_TYPE);
      if (ct != null && ct.value() instanceof String s) {
        contentType = s;
      }
      List<? extends MqttProperties.MqttProperty> ups =
          props.getProperties(MqttProperties.USER_PROPERTY);
      if (!ups.isEmpty()) {
        userProps = new ArrayList<>(ups.size());
        for (MqttProperties.MqttProperty<?> p : ups) {
          addUserProperties(p.value(), userProps);
        }
        userProps = Collections.unmodifiableList(userProps);
      }
      // A Four Byte Integer, unsigned: up to 2^32-1 seconds (MQTT 5 §3.3.2.3.3). 0 is taken as
      // none: a lifetime of 0 s would drop every such event, as no forwarding takes no time.
      if (props.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL)
              instanceof MqttProperties.IntegerProperty expiry
          && expiry.value() != 0) {
        expiresAt = receivedAt + Integer.toUnsignedLong(expiry.value()) * 1000L;
      }
      if (props.getProperty(MqttProperties.RESPONSE_TOPIC)
          instanceof MqttProperties.StringProperty rt) {
        responseTopic = rt.value();
      }
      if (props.getProperty(MqttProperties.CORRELATION_DATA)
          instanceof MqttProperties.BinaryProperty cd) {
        correlation = cd.value();
      }
      if (props.getProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR)
              instanceof MqttProperties.IntegerProperty pf
          && pf.value() == JournalEvent.PAYLOAD_UTF8) {
        payloadFormat = JournalEvent.PAYLOAD_UTF8;
      }
    }
    return new JournalEvent(
        JournalEvent.UNAPPENDED,
        ids.next(),
        receivedAt,
        qos,
        clientId,
        topic,
        contentType,
        userProps,
        expiresAt,
        responseTopic,
        correlation,
        payloadFormat,
        message.payload().getBytes());
  }

  private static void addUserProperties(Object value, List<JournalEvent.UserProperty> out) {
    if (value instanceof MqttProperties.StringPair pair) {
      out.add(new JournalEvent.UserProperty(pair.key, pair.value));
    } else if (value instanceof List<?> list) {
      for (Object o : list) {
        addUserProperties(o, out);
      }
    }
  }

  private void append(Held h) {
    journal.append(h.event()).onComplete(ar -> appended(ar, h));
  }

  private void appended(AsyncResult<Long> ar, Held h) {
    int qos = h.qos();
    int packetId = h.packetId();
    if (ar.succeeded()) {
      if (qos == 0 || closed || !endpoint.isConnected()) {
        return; // a closed connection's device will send it again; the journal has this copy
      }
      if (qos == 1) {
        Integer hash = pendingHashes.remove(packetId);
        if (recent != null && hash != null) {
          recent.journaled(clientId, packetId, hash);
        }
        endpoint.publishAcknowledge(packetId);
        policy.inflightDone();
      } else {
        qos2.put(packetId, true);
        endpoint.publishReceived(packetId);
      }
      stats.acknowledged(qos);
      return;
    }
    Throwable cause = ar.cause();
    String reason = cause instanceof JournalFullException ? "journal-full" : "journal-error";
    if (qos == 0) {
      stats.dropped(reason);
      return;
    }
    if (closed) {
      stats.refused(reason);
      return;
    }
    if (cause instanceof JournalFullException && endpoint.protocolVersion() < MQTT_5) {
      // No negative acknowledgement in MQTT 3.1.1, and a disconnect would only start a reconnect
      // storm: keep it (the socket is paused) and append it again when the journal has room.
      hold(h);
      return;
    }
    stats.refused(reason);
    if (qos == 2) {
      qos2.remove(packetId);
    }
    if (endpoint.protocolVersion() >= MQTT_5) {
      MqttProperties props = reasonString(cause.getMessage());
      policy.inflightDone(); // a PUBACK or PUBREC with a code >= 0x80 ends the exchange
      if (qos == 1) {
        endpoint.publishAcknowledge(
            packetId,
            cause instanceof JournalFullException
                ? MqttPubAckReasonCode.QUOTA_EXCEEDED
                : MqttPubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
            props);
      } else {
        endpoint.publishReceived(
            packetId,
            cause instanceof JournalFullException
                ? MqttPubRecReasonCode.QUOTA_EXCEEDED
                : MqttPubRecReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
            props);
      }
    } else {
      // MQTT 3.1.1 has no negative acknowledgement: closing makes the device send it again.
      log.debug("Closing {}: event not journaled ({})", clientId, cause.toString());
      endpoint.close();
    }
  }

  private void hold(Held h) {
    if (held.size() >= MAX_HELD) {
      log.info("Closing {}: {} events wait for journal space", clientId, held.size());
      endpoint.close();
      return;
    }
    held.add(h);
    if (!paused) {
      pause();
      throttle.pausedOutside(this);
    }
  }

  private void appendHeld() {
    Held h;
    while (!closed && (h = held.poll()) != null) {
      append(h);
    }
  }

  /** An event waiting for its append, with what its acknowledgement needs. */
  private record Held(JournalEvent event, int qos, int packetId) {}

  private MqttProperties reasonString(String reason) {
    if (!policy.problemInformation()) {
      return MqttProperties.NO_PROPERTIES; // [MQTT-3.1.2-29]: the device asked for none
    }
    MqttProperties props = new MqttProperties();
    String text = reason == null ? "journal unavailable" : reason;
    props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, text));
    return props;
  }

  private void onPublishRelease(int packetId) {
    if (qos2.remove(packetId) != null) {
      policy.inflightDone(); // a QoS 2 exchange is in flight until PUBCOMP
    }
    endpoint.publishComplete(packetId);
  }

  /**
   * A publish the ACL refuses: never journaled, counted. MQTT 5 gets PUBACK/PUBREC 0x87; MQTT
   * 3.1.1, which has no negative acknowledgement, is disconnected, or (mqtt.acl.mqtt311Refusal:
   * drop) acknowledged with the event dropped.
   */
  private void refuseUnauthorized(String topic, int qos, int packetId) {
    policy.refusedPublish(topic);
    if (qos == 0) {
      stats.dropped("not-authorized");
      return;
    }
    stats.refused("not-authorized");
    if (endpoint.protocolVersion() >= MQTT_5) {
      MqttProperties props = reasonString("not authorized to publish to this topic");
      if (qos == 1) {
        endpoint.publishAcknowledge(packetId, MqttPubAckReasonCode.NOT_AUTHORIZED, props);
      } else {
        endpoint.publishReceived(packetId, MqttPubRecReasonCode.NOT_AUTHORIZED, props);
      }
    } else if (policy.disconnectOnRefusal()) {
      endpoint.close();
    } else if (qos == 1) {
      endpoint.publishAcknowledge(packetId);
    } else if (qos2.putIfAbsent(packetId, true) == null && policy.inflightAdded()) {
      endpoint.publishReceived(packetId);
    }
  }

  /**
   * An MQTT 5 publish that says its payload is UTF-8 and is not: never journaled (consumers are
   * told the payload is text by {@code mqtt_payload_format_indicator}), counted; PUBACK/PUBREC
   * 0x99, Payload format invalid (MQTT 5 §3.3.2.3.2). QoS 0 has no acknowledgement: dropped.
   */
  private void refuseInvalidPayload(int qos, int packetId) {
    if (qos == 0) {
      stats.dropped(PayloadFormat.INVALID);
      return;
    }
    stats.refused(PayloadFormat.INVALID);
    MqttProperties props = reasonString("payload format indicator 1 but the payload is not UTF-8");
    if (qos == 1) {
      endpoint.publishAcknowledge(packetId, MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID, props);
    } else {
      endpoint.publishReceived(packetId, MqttPubRecReasonCode.PAYLOAD_FORMAT_INVALID, props);
    }
  }

  private void onSubscribe(MqttSubscribeMessage subscribe) {
    // Delivering to devices (commands) is not offered by this gateway version: refuse honestly,
    // and say so precisely for a filter the ACL would not allow anyway (0x87) or that is invalid.
    List<MqttSubAckReasonCode> codes = new ArrayList<>();
    for (var s : subscribe.topicSubscriptions()) {
      String filter = s.topicName();
      if (!io.edgegate.gateway.ingest.acl.TopicFilters.validFilter(filter)) {
        stats.subscriptionRefused("invalid-filter");
        codes.add(MqttSubAckReasonCode.TOPIC_FILTER_INVALID);
      } else if (!policy.maySubscribe(filter)) {
        stats.subscriptionRefused("not-authorized");
        codes.add(MqttSubAckReasonCode.NOT_AUTHORIZED);
      } else {
        stats.subscriptionRefused("not-supported");
        codes.add(MqttSubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
      }
    }
    if (endpoint.protocolVersion() >= MQTT_5) {
      endpoint.subscribeAcknowledge(subscribe.messageId(), codes, MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.subscribeAcknowledge(
          subscribe.messageId(), Collections.nCopies(codes.size(), MqttQoS.FAILURE));
    }
  }

  private void protocolViolation(String what) {
    stats.protocolViolation();
    log.info("Closing connection of {}: {}", clientId, what);
    if (endpoint.protocolVersion() >= MQTT_5) {
      endpoint.disconnect(
          MqttDisconnectReasonCode.TOPIC_NAME_INVALID, MqttProperties.NO_PROPERTIES);
    }
    endpoint.close();
  }

  /** Another connection with the same client id arrived. Any thread. */
  void takenOver() {
    context.runOnContext(
        v -> {
          if (closed) {
            return;
          }
          if (endpoint.protocolVersion() >= MQTT_5) {
            endpoint.disconnect(
                MqttDisconnectReasonCode.SESSION_TAKEN_OVER, MqttProperties.NO_PROPERTIES);
          }
          endpoint.close();
        });
  }

  boolean paused() {
    return paused;
  }

  void pause() {
    paused = true;
    policy.pauses().pause(SocketPauses.JOURNAL);
  }

  /** Any thread. */
  void resumeOnItsLoop() {
    context.runOnContext(
        v -> {
          paused = false;
          if (!closed) {
            appendHeld();
            policy.pauses().resume(SocketPauses.JOURNAL);
          }
        });
  }

  private void onClose() {
    if (lifecycleEvents) {
      // [MQTT-3.14.4-3] a clean DISCONNECT discards the Will; any other end of the connection
      // is a loss, reported with the Will the device left.
      lifecycle(
          cleanDisconnect ? "disconnected" : "connection-lost",
          cleanDisconnect
              ? new JsonObject().put("clientId", clientId).put("reason", "client-disconnect")
              : lostConnection());
    }
    closed = true;
    policy.close();
    qos2.clear();
    held.clear(); // not acknowledged: the device sends them again
    registry.unregister(this);
    stats.disconnected();
  }

  /** Closes the connection (gateway shutdown). Any thread. */
  void shutdown() {
    context.runOnContext(
        v -> {
          if (!closed) {
            if (endpoint.protocolVersion() >= MQTT_5) {
              endpoint.disconnect(
                  MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN, MqttProperties.NO_PROPERTIES);
            }
            endpoint.close();
          }
        });
  }
}
