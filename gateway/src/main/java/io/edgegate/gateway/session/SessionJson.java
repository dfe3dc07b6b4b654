package io.edgegate.gateway.session;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The file form of a persistent session (version 1), which sessions saved by an earlier run are
 * read back from: so fields keep their names, order and meaning, and a new one must be optional on
 * reading. Only QoS 2 ids already journaled are written (a pending append is the device's to repeat
 * after a restart). Stateless; each call takes the session's lock.
 */
final class SessionJson {
  static final int VERSION = 1;

  private SessionJson() {}

  /** {@code s} as saved. Any thread (the session store's writer). */
  static JsonObject write(Session s) {
    synchronized (s) {
      JsonArray qos2 = new JsonArray();
      for (Map.Entry<Integer, InboundQos2Ids.Receipt> e : s.inboundIds().view().entrySet()) {
        if (e.getValue().journaled.getNow(false)) {
          qos2.add(new JsonObject().put("packetId", e.getKey()).put("hash", e.getValue().hash));
        }
      }
      JsonObject subscriptions = new JsonObject();
      for (Map.Entry<String, Integer> e : s.subscriptionSet().view().entrySet()) {
        subscriptions.put(e.getKey(), e.getValue());
      }
      PendingCommands commands = s.commands();
      JsonArray inflight = new JsonArray();
      for (Session.Outbound o : commands.inflightView()) {
        inflight.add(
            new JsonObject()
                .put("packetId", o.packetId())
                .put("released", o.released())
                .put("command", o.command().toJson()));
      }
      JsonArray queue = new JsonArray();
      for (Command c : commands.queueView()) {
        queue.add(c.toJson());
      }
      JsonArray delivered = new JsonArray();
      for (String id : s.deliveredIds().view()) {
        delivered.add(id);
      }
      return new JsonObject()
          .put("version", VERSION)
          .put("clientId", s.clientId())
          .put("expirySeconds", s.expirySeconds())
          .put("disconnectedAt", s.disconnectedAt())
          .put("nextPacketId", commands.nextPacketId())
          .put("qos2", qos2)
          .put("subscriptions", subscriptions)
          .put("inflight", inflight)
          .put("queue", queue)
          .put("delivered", delivered);
    }
  }

  /**
   * A session read from disk: persistent, detached. One that was connected when the gateway stopped
   * counts as disconnected at {@code now}.
   */
  static Session read(JsonObject o, long now) {
    Session s = new Session(o.getString("clientId"), true, o.getLong("expirySeconds"));
    synchronized (s) { // not shared yet; the parts check that their lock is held
      long at = o.getLong("disconnectedAt", -1L);
      s.restoreDisconnectedAt(at < 0 ? now : at);
      PendingCommands commands = s.commands();
      commands.restoreNextPacketId(o.getInteger("nextPacketId", 1));
      for (Object e : o.getJsonArray("qos2", new JsonArray())) {
        JsonObject q = (JsonObject) e;
        s.inboundIds().restore(q.getInteger("packetId"), q.getLong("hash"));
      }
      for (Map.Entry<String, Object> e : o.getJsonObject("subscriptions", new JsonObject())) {
        s.subscriptionSet().restore(e.getKey(), ((Number) e.getValue()).intValue());
      }
      for (Object e : o.getJsonArray("inflight", new JsonArray())) {
        JsonObject f = (JsonObject) e;
        commands.restoreInflight(
            new Session.Outbound(
                f.getInteger("packetId"),
                Command.fromJson(f.getJsonObject("command")),
                f.getBoolean("released", false)));
      }
      for (Object e : o.getJsonArray("queue", new JsonArray())) {
        commands.enqueue(Command.fromJson((JsonObject) e));
      }
      for (Object e : o.getJsonArray("delivered", new JsonArray())) {
        s.deliveredIds().restore((String) e);
      }
    }
    return s;
  }
}
