package io.edgegate.gateway.ingest;

import io.edgegate.gateway.ingest.stats.ConnectionRefusal;
import io.edgegate.gateway.ingest.stats.IngestStats;
import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.JournalWriter;
import io.edgegate.gateway.session.Session;
import io.edgegate.gateway.session.SessionLink;
import io.edgegate.gateway.session.Sessions;
import io.edgegate.gateway.thread.Confinement;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.time.Clock;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's MQTT connection: its admission to a session, its wiring and its end. <b>Confined to
 * the event loop the connection arrived on</b>, like each of its parts; the methods marked "any
 * thread" hand off.
 *
 * <p>Its parts: {@link InboundPublishes} (the publish path, and the acknowledgement rule: a PUBACK
 * or PUBREC only after the journal confirmed the event durable), {@link InboundQos2} (exactly once
 * with the session), {@link Acknowledgements} (reason codes per protocol version), {@link
 * SubscriptionRequests}, {@link CommandDelivery}, {@link LifecycleEvents} and {@link
 * SessionExpiry}.
 */
final class DeviceConnection {
  private static final Logger log = LoggerFactory.getLogger(DeviceConnection.class);

  private final MqttEndpoint endpoint;
  private final Context context;
  private final JournalWriter journal;
  private final IngestThrottle throttle;
  private final DeviceRegistry registry;
  private final EventIds ids;
  private final Clock clock;
  private final IngestStats stats;
  private final String clientId;
  private final int maxHeldEvents;
  private volatile CommandDelivery delivery;
  private final SessionLink link =
      () -> {
        CommandDelivery d = delivery;
        if (d != null) {
          d.wake();
        }
      };
  // Set before accept() by the admission:
  private DevicePolicy policy; // ACL, rate, in-flight window
  private Sessions sessions;
  private BiPredicate<String, String> extraPublish = (clientId, topic) -> false;
  private RecentPublishes recent; // QoS 1 redelivery detection, shared across connections
  private LifecycleEvents lifecycle; // null: mqtt.lifecycleEvents off
  // Set by accept():
  private Acknowledgements acks;
  private Session session;
  private long connectionId;
  private SessionExpiry expiry;
  private InboundQos2 qos2;
  private InboundPublishes publishes;
  private boolean cleanDisconnect;
  // Set before the registry publishes this connection (its map's put orders them for readers).
  private long connectedAtMillis;
  private long expiryAtConnect; // SessionExpiry is confined to the loop
  private volatile InboundPublishes publishing;
  private boolean closed;

  DeviceConnection(
      MqttEndpoint endpoint,
      JournalWriter journal,
      IngestThrottle throttle,
      DeviceRegistry registry,
      EventIds ids,
      Clock clock,
      IngestStats stats,
      int maxHeldEvents) {
    this.endpoint = endpoint;
    this.maxHeldEvents = maxHeldEvents;
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
    this.lifecycle = on ? new LifecycleEvents(endpoint, journal, ids, clock) : null;
  }

  void accept() {
    assert Confinement.onContext(context);
    acks = new Acknowledgements(endpoint, policy);
    expiry = new SessionExpiry(endpoint, sessions.config().maxExpiry.toSeconds());
    connectionId = sessions.newConnectionId();
    Sessions.Opened opened =
        sessions.open(
            clientId,
            endpoint.isCleanSession(),
            expiry.seconds(),
            link,
            connectionId,
            policy::maySubscribe);
    if (opened.session() == null) {
      stats.connectionRefused(ConnectionRefusal.SESSIONS_FULL);
      log.info("Refused {}: {} persistent sessions held", clientId, sessions.config().max);
      acks.refuseConnectSessionsFull();
      policy.close();
      return;
    }
    session = opened.session();
    SessionSaves saves = new SessionSaves(sessions, session, context, endpoint, () -> closed);
    qos2 =
        new InboundQos2(
            endpoint, context, session, saves, policy, stats, acks, connectionId, () -> closed);
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
    SubscriptionRequests subscriptions =
        new SubscriptionRequests(session, sessions, saves, policy, stats, acks, d::drain);
    publishes =
        new InboundPublishes(
            endpoint,
            context,
            journal,
            throttle,
            ids,
            clock,
            stats,
            policy,
            acks,
            qos2,
            recent,
            extraPublish,
            maxHeldEvents,
            () -> closed);
    endpoint.publishAutoAck(false);
    endpoint.publishHandler(publishes::onPublish);
    endpoint.publishReleaseHandler(qos2::released);
    endpoint.publishAcknowledgeMessageHandler(d::acknowledged);
    endpoint.publishReceivedMessageHandler(d::received);
    endpoint.publishCompletionHandler(d::completed);
    endpoint.subscribeHandler(subscriptions::subscribe);
    endpoint.unsubscribeHandler(subscriptions::unsubscribe);
    endpoint.exceptionHandler(this::failed);
    endpoint.closeHandler(v -> onClose());
    endpoint.disconnectMessageHandler(
        m -> {
          cleanDisconnect = true;
          expiry.disconnect(m.properties());
        });
    connectedAtMillis = clock.millis();
    expiryAtConnect = expiry.seconds();
    publishing = publishes;
    registry.register(this);
    stats.connected();
    MqttProperties connack = policy.connackProperties();
    if (expiry.cappedForMqtt5()) {
      // The server's limit replaces the device's wish; CONNACK says which applies (3.2.2.3.2).
      connack.add(
          new MqttProperties.IntegerProperty(
              MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(),
              (int) expiry.seconds()));
    }
    // [MQTT-3.2.2-2/3] Session Present: 1 when a session was resumed, 0 for a clean start.
    endpoint.accept(opened.present(), connack);
    EndpointSockets.dropLibraryKeepAlive(endpoint);
    delivery = d;
    if (opened.present()) {
      d.resume();
    } else {
      d.drain();
    }
    if (lifecycle != null) {
      lifecycle.connected();
    }
  }

  /** This connection as the admin console shows it. Any thread, once registered. */
  ConnectedDevice snapshot() {
    InboundPublishes p = publishing;
    DeviceActivity a = p == null ? null : p.activity();
    return new ConnectedDevice(
        clientId,
        connectedAtMillis,
        endpoint.protocolVersion(),
        endpoint.isCleanSession(),
        expiryAtConnect,
        a == null ? 0 : a.events(),
        a == null ? 0 : a.lastAtMillis(),
        a == null ? -1 : a.lastQos(),
        a != null && a.paused());
  }

  /** Another connection with the same client id arrived. Any thread. */
  void takenOver() {
    context.runOnContext(
        v -> {
          if (!closed) {
            acks.disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER);
          }
        });
  }

  /** Closes the connection (gateway shutdown). Any thread. */
  void shutdown() {
    context.runOnContext(
        v -> {
          if (!closed) {
            acks.disconnect(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN);
          }
        });
  }

  /**
   * The connection failed under the device. A network error (a reset, a half-open socket) is the
   * device's business and a debug line; an Error (out of memory, a bug) is the gateway's and an
   * ERROR with its trace, so that an operator sees why devices were dropped.
   */
  private void failed(Throwable e) {
    if (e instanceof Error) {
      log.error("Connection of {} failed", clientId, e);
    } else {
      log.debug("Connection of {} failed: {}", clientId, e.toString());
    }
  }

  private void onClose() {
    assert Confinement.onContext(context);
    if (lifecycle != null) {
      lifecycle.closed(cleanDisconnect);
    }
    closed = true;
    publishes.closed();
    policy.close();
    CommandDelivery d = delivery;
    if (d != null) {
      d.close();
    }
    sessions.closed(session, link, expiry.seconds());
    registry.unregister(this);
    stats.disconnected();
  }
}
