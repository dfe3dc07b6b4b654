package io.edgegate.gateway.ingest;

import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalFullException;
import io.edgegate.gateway.journal.JournalWriter;
import io.edgegate.gateway.pipeline.EventProcessor;
import io.edgegate.gateway.session.Session;
import io.edgegate.gateway.session.SessionLink;
import io.edgegate.gateway.session.Sessions;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttDisconnectMessage;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubCompReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
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
 * [MQTT-4.3.3-9]; this state lives in the device's {@link Session}, so it survives a reconnect and,
 * for a persistent session, a gateway restart (PUBREC waits until the session is saved).
 *
 * <p>Subscriptions are kept in the session; the only messages sent to a device are commands ({@link
 * CommandDelivery}).
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
  // QoS 2 packet ids this connection counted in its in-flight window (until PUBREL)
  private final Set<Integer> qos2Counted = new HashSet<>();
  private Sessions sessions;
  private Session session; // set by accept()
  private long connectionId;
  private long expirySeconds; // the session expiry interval in force
  private long connectExpirySeconds;
  private volatile CommandDelivery delivery;
  private final SessionLink link =
      () -> {
        CommandDelivery d = delivery;
        if (d != null) {
          d.wake();
        }
      };
  private BiPredicate<String, String> extraPublish = (clientId, topic) -> false;
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
    long max = sessions.config().maxExpiry.toSeconds();
    long requested = requestedExpiry(max);
    expirySeconds = Math.min(requested, max);
    connectExpirySeconds = expirySeconds;
    connectionId = sessions.newConnectionId();
    Sessions.Opened opened =
        sessions.open(
            clientId,
            endpoint.isCleanSession(),
            expirySeconds,
            link,
            connectionId,
            policy::maySubscribe);
    if (opened.session() == null) {
      // Over mqtt.sessions.max: MQTT 5 0x97 quota exceeded, MQTT 3.1.1 3 server unavailable.
      stats.connectionRefused("sessions-full");
      log.info("Refused {}: {} persistent sessions held", clientId, sessions.config().max);
      endpoint.reject(
          endpoint.protocolVersion() >= MQTT_5
              ? io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
              : io.netty.handler.codec.mqtt.MqttConnectReturnCode
                  .CONNECTION_REFUSED_SERVER_UNAVAILABLE);
      policy.close();
      return;
    }
    session = opened.session();
    CommandDelivery d =
        new CommandDelivery(
            endpoint,
            context,
            session,
            sessions.outcomes(),
            clock,
            policy.window(),
            sessions.config().maxQueued,
            policy::maySubscribe);
    endpoint.publishAutoAck(false);
    endpoint.publishHandler(this::onPublish);
    endpoint.publishReleaseHandler(this::onPublishRelease);
    endpoint.publishAcknowledgeMessageHandler(d::acknowledged);
    endpoint.publishReceivedMessageHandler(d::received);
    endpoint.publishCompletionHandler(d::completed);
    endpoint.subscribeHandler(this::onSubscribe);
    endpoint.unsubscribeHandler(this::onUnsubscribe);
    endpoint.exceptionHandler(
        e -> log.debug("Connection of {} failed: {}", clientId, e.toString()));
    endpoint.closeHandler(v -> onClose());
    endpoint.disconnectMessageHandler(this::onDisconnect);
    registry.register(this);
    stats.connected();
    MqttProperties connack = policy.connackProperties();
    if (endpoint.protocolVersion() >= MQTT_5 && requested > expirySeconds) {
      // The server's limit replaces the device's wish; CONNACK says which applies (3.2.2.3.2).
      connack.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(),
              (int) expirySeconds));
    }
    // [MQTT-3.2.2-2/3] Session Present: 1 when a session was resumed, 0 for a clean start.
    endpoint.accept(opened.present(), connack);
    delivery = d;
    if (opened.present()) {
      d.resume();
    } else {
      d.drain();
    }
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

  /**
   * The session expiry interval the device asked for, in seconds: MQTT 5 from CONNECT (absent: 0);
   * MQTT 3.1.1 CleanSession=0 sessions never expire by the protocol, so they get {@code max}.
   */
  private long requestedExpiry(long max) {
    if (endpoint.protocolVersion() < MQTT_5) {
      return endpoint.isCleanSession() ? 0 : max;
    }
    MqttProperties p = endpoint.connectProperties();
    var e =
        p == null
            ? null
            : p.getProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
    return e == null ? 0 : Integer.toUnsignedLong((Integer) e.value());
  }

  private void onDisconnect(MqttDisconnectMessage message) {
    cleanDisconnect = true;
    MqttProperties p = message.properties();
    var e =
        p == null
            ? null
            : p.getProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
    if (e != null && endpoint.protocolVersion() >= MQTT_5) {
      long asked = Integer.toUnsignedLong((Integer) e.value());
      // 3.14.2.2.2: a session that was to end at disconnect cannot be made to outlive it.
      if (connectExpirySeconds > 0 || asked == 0) {
        expirySeconds = Math.min(asked, sessions.config().maxExpiry.toSeconds());
      }
    }
  }

  void sessions(Sessions sessions) {
    this.sessions = sessions;
  }

  /** Topics a device may publish to besides its ACL (its command response topic). */
  void extraPublish(BiPredicate<String, String> allowed) {
    this.extraPublish = allowed;
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
    if (!policy.mayPublish(topic) && !extraPublish.test(clientId, topic)) {
      refuseUnauthorized(topic, qos, packetId, message);
      return;
    }
    if (!PayloadFormat.matches(message)) {
      refuseInvalidPayload(qos, packetId);
      return;
    }
    long qos2Hash = 0;
    if (qos == 2) {
      qos2Hash = contentHash(topic, message.payload().getBytes());
      switch (session.inbound(packetId, qos2Hash, message.isDup(), connectionId)) {
        case JOURNALED -> {
          // [MQTT-4.3.3-9/10] PUBREC lost (or sent before a reconnect): repeat it, journal nothing.
          stats.duplicateSuppressed();
          endpoint.publishReceived(packetId);
          return;
        }
        case PENDING -> {
          stats.duplicateSuppressed(); // its append runs: PUBREC follows
          return;
        }
        case PENDING_ELSEWHERE -> {
          stats.duplicateSuppressed(); // appended for a former connection: PUBREC here once done
          pubrecWhenJournaled(packetId);
          return;
        }
        case NEW -> {}
      }
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
    if (qos == 2) {
      session.inboundPending(packetId, qos2Hash, connectionId, policy.window());
      qos2Counted.add(packetId);
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
      if (qos == 2) {
        // Known to the session before PUBREC: a repeat after a reconnect is not journaled again.
        session.inboundJournaled(packetId, true);
      }
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
        pubrecOnceSaved(packetId);
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
      if (qos == 2) {
        session.inboundJournaled(packetId, false);
      }
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
      session.inboundJournaled(packetId, false);
      qos2Counted.remove(packetId);
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

  /**
   * PUBREC for a journaled QoS 2 event; in a persistent session only once the session (which now
   * knows the packet id) is on disk, so a repeat after a gateway restart is not journaled twice.
   */
  private void pubrecOnceSaved(int packetId) {
    var saved = sessions.save(session);
    if (saved.isDone()) {
      endpoint.publishReceived(packetId);
      return;
    }
    saved.whenComplete(
        (v, e) ->
            context.runOnContext(
                x -> {
                  if (e != null) {
                    log.warn("Session of {} not saved before PUBREC: {}", clientId, e.toString());
                  }
                  if (!closed && endpoint.isConnected()) {
                    endpoint.publishReceived(packetId);
                  }
                }));
  }

  /** A repeat of a QoS 2 PUBLISH whose append started on a former connection of the session. */
  private void pubrecWhenJournaled(int packetId) {
    var journaled = session.whenJournaled(packetId);
    if (journaled == null) {
      return;
    }
    journaled.whenComplete(
        (ok, e) ->
            context.runOnContext(
                x -> {
                  if (Boolean.TRUE.equals(ok) && !closed) {
                    pubrecOnceSaved(packetId);
                  }
                }));
  }

  /** A 64-bit hash of topic and payload: what tells a repeat from new content. */
  static long contentHash(String topic, byte[] payload) {
    long h = 1125899906842597L;
    for (int i = 0; i < topic.length(); i++) {
      h = 31 * h + topic.charAt(i);
    }
    h = 31 * h + 0x2f2f;
    for (byte b : payload) {
      h = 1099511628211L * (h ^ (b & 0xff));
    }
    return h;
  }

  private void onPublishRelease(int packetId) {
    boolean known = session.inboundReleased(packetId);
    if (qos2Counted.remove(packetId)) {
      policy.inflightDone(); // a QoS 2 exchange is in flight until PUBCOMP
    }
    if (!known && endpoint.protocolVersion() >= MQTT_5) {
      // A PUBREL is answered even for an id the session no longer knows: 0x92 (3.7.2.1).
      endpoint.publishComplete(
          packetId,
          MqttPubCompReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
          MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.publishComplete(packetId);
    }
  }

  /**
   * A publish the ACL refuses: never journaled, counted. MQTT 5 gets PUBACK/PUBREC 0x87; MQTT
   * 3.1.1, which has no negative acknowledgement, is disconnected, or (mqtt.acl.mqtt311Refusal:
   * drop) acknowledged with the event dropped.
   */
  private void refuseUnauthorized(String topic, int qos, int packetId, MqttPublishMessage m) {
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
    } else if (session.inbound(packetId, 0, true, connectionId) == Session.Inbound.NEW
        && policy.inflightAdded()) {
      // Dropped, yet acknowledged as exactly-once: the session knows the id until PUBREL.
      session.inboundPending(packetId, contentHash(topic, m.payload().getBytes()), connectionId, 0);
      session.inboundJournaled(packetId, true);
      qos2Counted.add(packetId);
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

  /**
   * SUBSCRIBE: a valid filter the ACL allows is kept in the session at the QoS asked for, capped by
   * {@code mqtt.sessions.maxQos} (3.8.4). Refused: invalid filter (0x8F), shared subscriptions
   * (0x9E: nothing is routed between devices), ACL (0x87), too many (0x97). There are no retained
   * messages to send. The SUBACK goes out once the session is saved.
   */
  private void onSubscribe(MqttSubscribeMessage subscribe) {
    List<MqttSubAckReasonCode> codes = new ArrayList<>();
    int maxQos = sessions.config().maxQos;
    for (var s : subscribe.topicSubscriptions()) {
      String filter = s.topicName();
      if (!io.edgegate.gateway.ingest.acl.TopicFilters.validFilter(filter)) {
        stats.subscriptionRefused("invalid-filter");
        codes.add(MqttSubAckReasonCode.TOPIC_FILTER_INVALID);
      } else if (filter.startsWith("$share/")) {
        stats.subscriptionRefused("shared-not-supported");
        codes.add(MqttSubAckReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED);
      } else if (!policy.maySubscribe(filter)) {
        stats.subscriptionRefused("not-authorized");
        codes.add(MqttSubAckReasonCode.NOT_AUTHORIZED);
      } else {
        int granted = Math.min(s.qualityOfService().value(), maxQos);
        if (session.subscribe(filter, granted, sessions.config().maxSubscriptions)) {
          codes.add(MqttSubAckReasonCode.qosGranted(MqttQoS.valueOf(granted)));
        } else {
          stats.subscriptionRefused("quota-exceeded");
          codes.add(MqttSubAckReasonCode.QUOTA_EXCEEDED);
        }
      }
    }
    int id = subscribe.messageId();
    afterSave(
        () -> {
          if (endpoint.protocolVersion() >= MQTT_5) {
            endpoint.subscribeAcknowledge(id, codes, MqttProperties.NO_PROPERTIES);
          } else {
            List<MqttQoS> granted = new ArrayList<>(codes.size());
            for (MqttSubAckReasonCode c : codes) {
              granted.add(c.isError() ? MqttQoS.FAILURE : MqttQoS.valueOf(c.value()));
            }
            endpoint.subscribeAcknowledge(id, granted);
          }
          CommandDelivery d = delivery;
          if (d != null) {
            d.drain();
          }
        });
  }

  private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
    List<MqttUnsubAckReasonCode> codes = new ArrayList<>();
    for (String filter : unsubscribe.topics()) {
      codes.add(
          session.unsubscribe(filter)
              ? MqttUnsubAckReasonCode.SUCCESS
              : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
    }
    int id = unsubscribe.messageId();
    afterSave(
        () -> {
          if (endpoint.protocolVersion() >= MQTT_5) {
            endpoint.unsubscribeAcknowledge(id, codes, MqttProperties.NO_PROPERTIES);
          } else {
            endpoint.unsubscribeAcknowledge(id);
          }
        });
  }

  /** Runs {@code then} on this loop once the session is saved (at once if it is not persistent). */
  private void afterSave(Runnable then) {
    var saved = sessions.save(session);
    if (saved.isDone()) {
      then.run();
      return;
    }
    saved.whenComplete(
        (v, e) ->
            context.runOnContext(
                x -> {
                  if (!closed) {
                    then.run();
                  }
                }));
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
    for (Held h : held) {
      if (h.qos() == 2) {
        session.inboundJournaled(h.packetId(), false); // never appended: the device sends it again
      }
    }
    held.clear(); // not acknowledged: the device sends them again
    CommandDelivery d = delivery;
    if (d != null) {
      d.close();
    }
    sessions.closed(session, link, expirySeconds);
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
