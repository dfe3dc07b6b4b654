package io.edgegate.gateway.ingest;

import io.edgegate.gateway.ingest.stats.IngestStats;
import io.edgegate.gateway.session.Session;
import io.edgegate.gateway.thread.Confinement;
import io.vertx.core.Context;
import io.vertx.mqtt.MqttEndpoint;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The device-to-gateway QoS 2 exchange of one connection, kept in the device's {@link Session}: a
 * PUBLISH repeated with the same packet id before its PUBREL is not journaled again [MQTT-4.3.3-9],
 * which holds across a reconnect and, for a persistent session, a gateway restart (PUBREC waits
 * until the session is saved). An exchange counts in the connection's in-flight window from PUBLISH
 * until PUBREL. <b>Confined to the connection's event loop</b>; the session itself is thread-safe.
 */
final class InboundQos2 {
  private final MqttEndpoint endpoint;
  private final Context context;
  private final Session session;
  private final SessionSaves saves;
  private final DevicePolicy policy;
  private final IngestStats stats;
  private final Acknowledgements acks;
  private final long connectionId;
  private final BooleanSupplier closed;
  // Packet ids this connection counted in its in-flight window (until PUBREL): at most the
  // window, which DevicePolicy bounds.
  private Set<Integer> counted = Collections.emptySet(); // a HashSet from the first use

  InboundQos2(
      MqttEndpoint endpoint,
      Context context,
      Session session,
      SessionSaves saves,
      DevicePolicy policy,
      IngestStats stats,
      Acknowledgements acks,
      long connectionId,
      BooleanSupplier closed) {
    this.endpoint = endpoint;
    this.context = context;
    this.session = session;
    this.saves = saves;
    this.policy = policy;
    this.stats = stats;
    this.acks = acks;
    this.connectionId = connectionId;
    this.closed = closed;
  }

  /**
   * Answers a PUBLISH whose packet id the session knows already and returns true; false for a new
   * exchange, which the caller journals.
   */
  boolean answeredRepeat(int packetId, long contentHash, boolean dup) {
    assert Confinement.onContext(context);
    switch (session.inbound(packetId, contentHash, dup, connectionId)) {
      case JOURNALED -> {
        // [MQTT-4.3.3-9/10] PUBREC lost (or sent before a reconnect): repeat it, journal nothing.
        stats.duplicateSuppressed();
        endpoint.publishReceived(packetId);
        return true;
      }
      case PENDING -> {
        stats.duplicateSuppressed(); // its append runs: PUBREC follows
        return true;
      }
      case PENDING_ELSEWHERE -> {
        stats.duplicateSuppressed(); // appended for a former connection: PUBREC here once done
        pubrecWhenJournaled(packetId);
        return true;
      }
      case NEW -> {
        return false;
      }
    }
    throw new AssertionError();
  }

  /** A new exchange whose event is being appended (already counted in the in-flight window). */
  void appending(int packetId, long contentHash) {
    assert Confinement.onContext(context);
    session.inboundPending(packetId, contentHash, connectionId, policy.window());
    counted().add(packetId);
  }

  /** Its event is durable: the session knows it before PUBREC, so a repeat is not journaled. */
  void journaled(int packetId) {
    assert Confinement.onContext(context);
    session.inboundJournaled(packetId, true);
  }

  /** Its event was not appended: the device sends it again, as a new exchange. */
  void notJournaled(int packetId) {
    assert Confinement.onContext(context);
    session.inboundJournaled(packetId, false);
    counted.remove(packetId);
  }

  /** PUBREC for a journaled event, once the session (which knows the packet id) is saved. */
  void pubrecOnceSaved(int packetId) {
    assert Confinement.onContext(context);
    saves.thenReply("PUBREC", () -> endpoint.publishReceived(packetId));
  }

  /** A repeat of a PUBLISH whose append started on a former connection of the session. */
  private void pubrecWhenJournaled(int packetId) {
    assert Confinement.onContext(context);
    var journaled = session.whenJournaled(packetId);
    if (journaled == null) {
      return;
    }
    journaled.whenComplete(
        (ok, e) ->
            context.runOnContext(
                x -> {
                  if (Boolean.TRUE.equals(ok) && !closed.getAsBoolean()) {
                    pubrecOnceSaved(packetId);
                  }
                }));
  }

  /**
   * An MQTT 3.1.1 publish the ACL refused, to be dropped yet acknowledged as exactly-once
   * (mqtt.acl.mqtt311Refusal: drop): the session knows the id until PUBREL.
   */
  void acknowledgeDropped(int packetId, long contentHash) {
    assert Confinement.onContext(context);
    if (session.inbound(packetId, 0, true, connectionId) == Session.Inbound.NEW
        && policy.inflightAdded()) {
      session.inboundPending(packetId, contentHash, connectionId, 0);
      session.inboundJournaled(packetId, true);
      counted().add(packetId);
      endpoint.publishReceived(packetId);
    }
  }

  /** PUBREL: the exchange ends with PUBCOMP, and leaves the in-flight window. */
  void released(int packetId) {
    assert Confinement.onContext(context);
    boolean known = session.inboundReleased(packetId);
    if (counted.remove(packetId)) {
      policy.inflightDone(); // a QoS 2 exchange is in flight until PUBCOMP
    }
    acks.publishComplete(packetId, known);
  }

  private Set<Integer> counted() {
    if (!(counted instanceof HashSet)) {
      counted = new HashSet<>();
    }
    return counted;
  }
}
