package io.edgegate.gateway.ingest;

import io.edgegate.gateway.session.Session;
import io.edgegate.gateway.session.Sessions;
import io.edgegate.gateway.thread.Confinement;
import io.vertx.core.Context;
import io.vertx.mqtt.MqttEndpoint;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replies that must wait until the connection's session is on disk (PUBREC of a QoS 2 event,
 * SUBACK, UNSUBACK): a reply the device has seen must survive a gateway restart. A session that is
 * not persistent is "saved" at once. <b>Confined to the connection's event loop</b>; the save
 * completes on the session store's thread and the reply is handed back to the loop.
 */
final class SessionSaves {
  private static final Logger log = LoggerFactory.getLogger(SessionSaves.class);

  private final Sessions sessions;
  private final Session session;
  private final Context context;
  private final MqttEndpoint endpoint;
  private final BooleanSupplier closed;

  SessionSaves(
      Sessions sessions,
      Session session,
      Context context,
      MqttEndpoint endpoint,
      BooleanSupplier closed) {
    this.sessions = sessions;
    this.session = session;
    this.context = context;
    this.endpoint = endpoint;
    this.closed = closed;
  }

  /**
   * Runs {@code reply} on this loop once the session is saved, unless the connection closed
   * meanwhile. A failed save is logged and the reply sent all the same: the device must not wait
   * for an answer that never comes.
   */
  void thenReply(String what, Runnable reply) {
    assert Confinement.onContext(context);
    var saved = sessions.save(session);
    if (saved.isDone()) {
      reply.run();
      return;
    }
    saved.whenComplete(
        (v, e) ->
            context.runOnContext(
                x -> {
                  if (e != null) {
                    log.warn(
                        "Session of {} not saved before {}: {}",
                        session.clientId(),
                        what,
                        e.toString());
                  }
                  if (!closed.getAsBoolean() && endpoint.isConnected()) {
                    reply.run();
                  }
                }));
  }
}
