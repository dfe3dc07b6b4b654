package io.edgegate.gateway.ingest;

import io.edgegate.gateway.ingest.stats.IngestStats;
import io.edgegate.gateway.ingest.stats.PublishRefusal;
import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalFullException;
import io.edgegate.gateway.journal.JournalWriter;
import io.edgegate.gateway.mqtt.ReservedTopics;
import io.edgegate.gateway.mqtt.TopicFilters;
import io.edgegate.gateway.thread.Confinement;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import java.time.Clock;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish path of one device's connection ({@link DeviceConnection}): each PUBLISH checked
 * (topic, rate, ACL, payload format, repeats), journaled, and acknowledged or refused. <b>Confined
 * to the event loop the connection arrived on</b>; {@link #resumeOnItsLoop} hands off.
 *
 * <p>The acknowledgement rule lives here: a QoS 1 PUBACK or QoS 2 PUBREC is sent only after the
 * journal confirmed the event durable ({@link JournalWriter#append}, outcome in {@link #appended}),
 * and only on the connection that received it. If the journal cannot take the event, an MQTT 5
 * device gets a negative acknowledgement with the reason (0x97 quota exceeded, 0x83 implementation
 * error); an MQTT 3.1.1 device, which has no negative acknowledgement, has the event held while the
 * journal is full ({@link HeldEvents}) or is disconnected so that it sends the event again.
 */
final class InboundPublishes implements IngestThrottle.Throttled {
  // The connection's logger: operators filter on it, and these lines were always there.
  private static final Logger log = LoggerFactory.getLogger(DeviceConnection.class);

  private final MqttEndpoint endpoint;
  private final Context context;
  private final JournalWriter journal;
  private final IngestThrottle throttle;
  private final EventIds ids;
  private final Clock clock;
  private final IngestStats stats;
  private final String clientId;
  private final DevicePolicy policy; // ACL, rate, in-flight window
  private final Acknowledgements acks;
  private final InboundQos2 qos2;
  private final RecentPublishes recent; // null: QoS 1 redelivery detection off
  private final BiPredicate<String, String> extraPublish;
  private final HeldEvents held;
  private final BooleanSupplier closed;
  private boolean paused;
  private final DeviceActivity activity = new DeviceActivity();
  private boolean flushesConsolidated;

  InboundPublishes(
      MqttEndpoint endpoint,
      Context context,
      JournalWriter journal,
      IngestThrottle throttle,
      EventIds ids,
      Clock clock,
      IngestStats stats,
      DevicePolicy policy,
      Acknowledgements acks,
      InboundQos2 qos2,
      RecentPublishes recent,
      BiPredicate<String, String> extraPublish,
      int maxHeldEvents,
      BooleanSupplier closed) {
    this.endpoint = endpoint;
    this.context = context;
    this.journal = journal;
    this.throttle = throttle;
    this.ids = ids;
    this.clock = clock;
    this.stats = stats;
    this.clientId = endpoint.clientIdentifier();
    this.policy = policy;
    this.acks = acks;
    this.qos2 = qos2;
    this.recent = recent;
    this.extraPublish = extraPublish;
    this.held = new HeldEvents(maxHeldEvents);
    this.closed = closed;
  }

  void onPublish(MqttPublishMessage message) {
    assert Confinement.onContext(context);
    String topic = message.topicName();
    if (!TopicFilters.validTopicName(topic)) {
      // [MQTT-3.3.2-2] The Topic Name in a PUBLISH packet MUST NOT contain wildcard characters;
      // [MQTT-1.5.4-1] nor ill-formed UTF-8, [MQTT-4.7.3-2] nor U+0000.
      protocolViolation("invalid topic name in PUBLISH: '" + topic + "'");
      return;
    }
    if (ReservedTopics.reserved(topic)) {
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
    long hash = 0;
    if (qos == 2 || (qos == 1 && recent != null)) {
      hash = ContentHash.of(topic, message.payload());
    }
    if (qos == 2 && qos2.answeredRepeat(packetId, hash, message.isDup())) {
      return;
    }
    if (qos == 1
        && recent != null
        && message.isDup()
        && recent.isRedelivery(clientId, packetId, hash)) {
      // Its PUBACK was lost; the event is journaled already: acknowledge, do not journal again.
      stats.duplicateSuppressed();
      endpoint.publishAcknowledge(packetId);
      return;
    }
    if (qos > 0 && !policy.inflightAdded()) {
      return; // over the Receive Maximum: disconnected
    }
    if (qos == 2) {
      qos2.appending(packetId, hash);
    }
    if (qos > 0 && !flushesConsolidated) {
      // On first use: an idle or QoS 0 device, which gets no acknowledgements, keeps the memory.
      flushesConsolidated = true;
      EndpointSockets.consolidateFlushes(endpoint);
    }
    long receivedAt = clock.millis();
    activity.event(qos, receivedAt);
    JournalEvent event = PublishToEvent.convert(message, clientId, ids.next(), receivedAt);
    HeldEvents.Publish p = new HeldEvents.Publish(event, qos, packetId, hash);
    if (!held.isEmpty()) {
      hold(p); // behind earlier refused events, to keep order
    } else {
      append(p);
    }
    throttle.pauseIfNeeded(this);
  }

  private void append(HeldEvents.Publish p) {
    assert Confinement.onContext(context);
    journal.append(p.event(), (index, failure) -> appended(failure, p));
  }

  /**
   * The journal's outcome for {@code p}. Outcomes arrive in batches (one task per event loop per
   * group commit); the acknowledgements of a batch are written here one by one and reach the socket
   * in one flush after the task ({@link EndpointSockets#consolidateFlushes}).
   */
  private void appended(Throwable cause, HeldEvents.Publish p) {
    assert Vertx.currentContext() == context : "journal outcomes arrive on the connection's loop";
    int qos = p.qos();
    int packetId = p.packetId();
    if (cause == null) {
      if (qos == 2) {
        qos2.journaled(packetId);
      }
      if (qos == 1 && recent != null) {
        // Also when the connection is gone: its device sends the event again, with DUP, and
        // that repeat must be recognised.
        recent.journaled(clientId, packetId, p.contentHash());
      }
      if (qos == 0 || closed.getAsBoolean() || !endpoint.isConnected()) {
        return; // a closed connection's device will send it again; the journal has this copy
      }
      if (qos == 1) {
        endpoint.publishAcknowledge(packetId);
        policy.inflightDone();
      } else {
        qos2.pubrecOnceSaved(packetId);
      }
      stats.acknowledged(qos);
      return;
    }
    PublishRefusal reason =
        cause instanceof JournalFullException
            ? PublishRefusal.JOURNAL_FULL
            : PublishRefusal.JOURNAL_ERROR;
    if (qos == 0) {
      stats.dropped(reason);
      if (cause instanceof JournalFullException && !closed.getAsBoolean()) {
        throttle.pauseRefused(this);
      }
      return;
    }
    if (closed.getAsBoolean()) {
      if (qos == 2) {
        qos2.notJournaled(packetId);
      }
      stats.refused(reason);
      return;
    }
    if (cause instanceof JournalFullException && !acks.mqtt5()) {
      hold(p); // held until the journal has room (see HeldEvents)
      return;
    }
    stats.refused(reason);
    if (qos == 2) {
      qos2.notJournaled(packetId);
    }
    if (acks.mqtt5()) {
      policy.inflightDone(); // a PUBACK or PUBREC with a code >= 0x80 ends the exchange
      acks.refusePublish(
          qos,
          packetId,
          cause instanceof JournalFullException
              ? MqttPubAckReasonCode.QUOTA_EXCEEDED
              : MqttPubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
          cause.getMessage() == null ? "journal unavailable" : cause.getMessage());
      if (cause instanceof JournalFullException) {
        throttle.pauseRefused(this);
      }
    } else {
      // MQTT 3.1.1 has no negative acknowledgement: closing makes the device send it again.
      log.debug("Closing {}: event not journaled ({})", clientId, cause.toString());
      EndpointSockets.closing(endpoint); // later packets of this read are not served
      endpoint.close();
    }
  }

  private void hold(HeldEvents.Publish p) {
    assert Confinement.onContext(context);
    if (!held.hold(p)) {
      log.info("Closing {}: {} events wait for journal space", clientId, held.size());
      EndpointSockets.closing(endpoint); // later packets of this read are not served
      endpoint.close();
      return;
    }
    if (!paused) {
      pause();
      throttle.pausedOutside(this);
    }
  }

  /**
   * A publish the ACL refuses: never journaled, counted. MQTT 5 gets PUBACK/PUBREC 0x87; MQTT
   * 3.1.1, which has no negative acknowledgement, is disconnected, or (mqtt.acl.mqtt311Refusal:
   * drop) acknowledged with the event dropped.
   */
  private void refuseUnauthorized(String topic, int qos, int packetId, MqttPublishMessage m) {
    assert Confinement.onContext(context);
    policy.refusedPublish(topic);
    if (qos == 0) {
      stats.dropped(PublishRefusal.NOT_AUTHORIZED);
      return;
    }
    stats.refused(PublishRefusal.NOT_AUTHORIZED);
    if (acks.mqtt5()) {
      acks.refusePublish(
          qos,
          packetId,
          MqttPubAckReasonCode.NOT_AUTHORIZED,
          "not authorized to publish to this topic");
    } else if (policy.disconnectOnRefusal()) {
      EndpointSockets.closing(endpoint); // later packets of this read are not served
      endpoint.close();
    } else if (qos == 1) {
      endpoint.publishAcknowledge(packetId);
    } else {
      qos2.acknowledgeDropped(packetId, ContentHash.of(topic, m.payload().getBytes()));
    }
  }

  /**
   * An MQTT 5 publish that says its payload is UTF-8 and is not: never journaled (consumers are
   * told the payload is text by {@code mqtt_payload_format_indicator}), counted; PUBACK/PUBREC
   * 0x99, Payload format invalid (MQTT 5 §3.3.2.3.2). QoS 0 has no acknowledgement: dropped.
   */
  private void refuseInvalidPayload(int qos, int packetId) {
    assert Confinement.onContext(context);
    if (qos == 0) {
      stats.dropped(PublishRefusal.PAYLOAD_FORMAT_INVALID);
      return;
    }
    stats.refused(PublishRefusal.PAYLOAD_FORMAT_INVALID);
    acks.refusePublish(
        qos,
        packetId,
        MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID,
        "payload format indicator 1 but the payload is not UTF-8");
  }

  private void protocolViolation(String what) {
    assert Confinement.onContext(context);
    stats.protocolViolation();
    log.info("Closing connection of {}: {}", clientId, what);
    acks.disconnect(MqttDisconnectReasonCode.TOPIC_NAME_INVALID);
  }

  @Override
  public boolean paused() {
    assert Confinement.onContext(context);
    return paused;
  }

  @Override
  public void pause() {
    assert Confinement.onContext(context);
    paused = true;
    activity.paused(true);
    policy.pauses().pause(SocketPauses.JOURNAL);
  }

  @Override
  public void resumeOnItsLoop() {
    context.runOnContext(
        v -> {
          paused = false;
          activity.paused(false);
          if (!closed.getAsBoolean()) {
            held.release(p -> append(p));
            policy.pauses().resume(SocketPauses.JOURNAL);
          }
        });
  }

  /** What the admin console reads of this connection's publishes. Any thread. */
  DeviceActivity activity() {
    return activity;
  }

  /** The connection closed: held events are not acknowledged, their device sends them again. */
  void closed() {
    assert Confinement.onContext(context);
    throttle.closed(this);
    held.discard(qos2);
  }
}
