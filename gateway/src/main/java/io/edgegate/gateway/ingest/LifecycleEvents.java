package io.edgegate.gateway.ingest;

import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalWriter;
import io.edgegate.gateway.mqtt.ReservedTopics;
import io.edgegate.gateway.thread.Confinement;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttWill;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's connect and disconnect as events, journaled like any other so that they keep their
 * order among its publishes (mqtt.lifecycleEvents). Best effort: an event the journal refuses is
 * logged, not retried. <b>Confined to the connection's event loop.</b>
 */
final class LifecycleEvents {
  private final Confinement.Owner owner = Confinement.firstCaller();
  private static final Logger log = LoggerFactory.getLogger(LifecycleEvents.class);

  private final MqttEndpoint endpoint;
  private final JournalWriter journal;
  private final EventIds ids;
  private final Clock clock;
  private final String clientId;

  LifecycleEvents(MqttEndpoint endpoint, JournalWriter journal, EventIds ids, Clock clock) {
    this.endpoint = endpoint;
    this.journal = journal;
    this.ids = ids;
    this.clock = clock;
    this.clientId = endpoint.clientIdentifier();
  }

  /** How a connection ended: the {@code reason} of its lifecycle event (docs/event-contract.md). */
  enum End {
    /** The device sent DISCONNECT (its Will is discarded). */
    CLIENT_DISCONNECT("client-disconnect"),
    /** Any other end: the Will, if any, is reported with it. */
    CONNECTION_LOST("connection-lost");

    final String tag;

    End(String tag) {
      this.tag = tag;
    }
  }

  void connected() {
    assert owner.check();
    journal(
        "connected",
        new JsonObject()
            .put("clientId", clientId)
            .put("protocolVersion", endpoint.protocolVersion())
            .put("cleanSession", endpoint.isCleanSession())
            .put("keepAliveSeconds", endpoint.keepAliveTimeSeconds()));
  }

  /**
   * [MQTT-3.14.4-3] a clean DISCONNECT discards the Will; any other end of the connection is a
   * loss, reported with the Will the device left.
   */
  void closed(boolean cleanDisconnect) {
    assert owner.check();
    if (cleanDisconnect) {
      journal(
          "disconnected",
          new JsonObject().put("clientId", clientId).put("reason", End.CLIENT_DISCONNECT.tag));
    } else {
      journal("connection-lost", lostConnection());
    }
  }

  private JsonObject lostConnection() {
    JsonObject body =
        new JsonObject().put("clientId", clientId).put("reason", End.CONNECTION_LOST.tag);
    MqttWill will = endpoint.will();
    if (will != null && will.isWillFlag()) {
      byte[] payload = will.getWillMessageBytes();
      JsonObject w =
          new JsonObject()
              .put("topic", will.getWillTopic())
              .put("qos", will.getWillQos())
              .put("retain", will.isWillRetain());
      String text = payload == null ? "" : new String(payload, StandardCharsets.UTF_8);
      if (payload != null && Arrays.equals(text.getBytes(StandardCharsets.UTF_8), payload)) {
        w.put("payload", text);
      } else {
        w.put("payloadBase64", Base64.getEncoder().encodeToString(payload));
      }
      body.put("will", w);
    }
    return body;
  }

  private void journal(String kind, JsonObject body) {
    JournalEvent event =
        new JournalEvent(
            JournalEvent.UNAPPENDED,
            ids.next(),
            clock.millis(),
            0,
            clientId,
            ReservedTopics.LIFECYCLE + kind,
            "application/json",
            List.of(),
            body.encode().getBytes(StandardCharsets.UTF_8));
    journal
        .append(event)
        .onFailure(
            e -> log.debug("Lifecycle event of {} not journaled: {}", clientId, e.toString()));
  }
}
