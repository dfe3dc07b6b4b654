package io.edgegate.gateway.ingest;

import io.edgegate.gateway.ingest.stats.IngestStats;
import io.edgegate.gateway.ingest.stats.SubscriptionRefusal;
import io.edgegate.gateway.mqtt.TopicFilters;
import io.edgegate.gateway.session.Session;
import io.edgegate.gateway.session.Sessions;
import io.edgegate.gateway.thread.Confinement;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE and UNSUBSCRIBE of one connection. Subscriptions are kept in the session; the only
 * messages sent to a device are commands ({@link CommandDelivery}), which a new subscription may
 * let through. There are no retained messages to send. The SUBACK and UNSUBACK go out once the
 * session is saved. <b>Confined to the connection's event loop.</b>
 */
final class SubscriptionRequests {
  private final Confinement.Owner owner = Confinement.firstCaller();
  private final Session session;
  private final Sessions sessions;
  private final SessionSaves saves;
  private final DevicePolicy policy;
  private final IngestStats stats;
  private final Acknowledgements acks;
  private final Runnable subscribed;

  /** {@code subscribed} runs after each SUBACK (commands may now match). */
  SubscriptionRequests(
      Session session,
      Sessions sessions,
      SessionSaves saves,
      DevicePolicy policy,
      IngestStats stats,
      Acknowledgements acks,
      Runnable subscribed) {
    this.session = session;
    this.sessions = sessions;
    this.saves = saves;
    this.policy = policy;
    this.stats = stats;
    this.acks = acks;
    this.subscribed = subscribed;
  }

  /**
   * A valid filter the ACL allows is kept in the session at the QoS asked for, capped by {@code
   * mqtt.sessions.maxQos} (3.8.4). Refused: invalid filter (0x8F), shared subscriptions (0x9E:
   * nothing is routed between devices), ACL (0x87), too many (0x97).
   */
  void subscribe(MqttSubscribeMessage subscribe) {
    assert owner.check();
    List<MqttSubAckReasonCode> codes = new ArrayList<>();
    int maxQos = sessions.config().maxQos;
    for (var s : subscribe.topicSubscriptions()) {
      String filter = s.topicName();
      if (!TopicFilters.validFilter(filter)) {
        stats.subscriptionRefused(SubscriptionRefusal.INVALID_FILTER);
        codes.add(MqttSubAckReasonCode.TOPIC_FILTER_INVALID);
      } else if (filter.startsWith("$share/")) {
        stats.subscriptionRefused(SubscriptionRefusal.SHARED_NOT_SUPPORTED);
        codes.add(MqttSubAckReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED);
      } else if (!policy.maySubscribe(filter)) {
        stats.subscriptionRefused(SubscriptionRefusal.NOT_AUTHORIZED);
        codes.add(MqttSubAckReasonCode.NOT_AUTHORIZED);
      } else {
        int granted = Math.min(s.qualityOfService().value(), maxQos);
        if (session.subscribe(filter, granted, sessions.config().maxSubscriptions)) {
          codes.add(MqttSubAckReasonCode.qosGranted(MqttQoS.valueOf(granted)));
        } else {
          stats.subscriptionRefused(SubscriptionRefusal.QUOTA_EXCEEDED);
          codes.add(MqttSubAckReasonCode.QUOTA_EXCEEDED);
        }
      }
    }
    int id = subscribe.messageId();
    saves.thenReply(
        "SUBACK",
        () -> {
          acks.subscribeAcknowledge(id, codes);
          subscribed.run();
        });
  }

  void unsubscribe(MqttUnsubscribeMessage unsubscribe) {
    assert owner.check();
    List<MqttUnsubAckReasonCode> codes = new ArrayList<>();
    for (String filter : unsubscribe.topics()) {
      codes.add(
          session.unsubscribe(filter)
              ? MqttUnsubAckReasonCode.SUCCESS
              : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
    }
    int id = unsubscribe.messageId();
    saves.thenReply("UNSUBACK", () -> acks.unsubscribeAcknowledge(id, codes));
  }
}
