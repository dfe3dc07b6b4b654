package io.edgegate.gateway.session;

import io.edgegate.gateway.mqtt.TopicFilters;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The MQTT session of one client id: inbound QoS 2 packet ids, subscriptions, commands queued and
 * in flight to the device. <b>Thread-safe (coarse lock on the session)</b>: its connection's event
 * loop, the command consumer thread and the session store thread all touch it, each for a few map
 * operations.
 */
public final class Session {
  /** What a QoS 2 PUBLISH is, given the packet ids this session knows. */
  public enum Inbound {
    /** Not known (or known with other content and DUP=0): a new message, to journal. */
    NEW,
    /** Its journal append, started on this connection, still runs: PUBREC follows. */
    PENDING,
    /** Its journal append, started on a former connection, still runs. */
    PENDING_ELSEWHERE,
    /** Journaled already (PUBREC was or will be sent): PUBREC again, journal nothing. */
    JOURNALED
  }

  /** An inbound QoS 2 message between PUBLISH and PUBREL. */
  private static final class Qos2 {
    final long hash;
    final long connection; // the connection that received it; -1: restored from disk
    final CompletableFuture<Boolean> journaled = new CompletableFuture<>();

    Qos2(long hash, long connection) {
      this.hash = hash;
      this.connection = connection;
    }
  }

  /** A command published to the device and not yet acknowledged. */
  public record Outbound(int packetId, Command command, boolean released) {}

  private final String clientId;
  private boolean persistent;
  private long expirySeconds;
  private long disconnectedAt; // epoch millis; -1 while connected
  private SessionLink link;
  private long connection = -1;
  private Predicate<String> mayReceive = t -> true;
  // Every connection has a session, most never hold anything: the collections are allocated on
  // the first write (an empty immutable one reads the same).
  private Map<Integer, Qos2> qos2 = Collections.emptyMap();
  private Map<String, Integer> subscriptions = Collections.emptyMap();
  private Deque<Command> queue = EMPTY_QUEUE;
  private Map<Integer, Outbound> inflight = Collections.emptyMap();
  // Ids of the commands delivered last (bounded): a command read again from Kafka after a crash
  // between its settlement and the offset commit is recognised and not delivered twice.
  private Set<String> delivered = Collections.emptySet();
  private int nextPacketId = 1;
  private boolean discarded;
  private boolean everPersistent; // it may have a file on disk

  private static final Deque<Command> EMPTY_QUEUE = new ArrayDeque<>(0);

  private Map<Integer, Qos2> qos2w() {
    if (qos2.isEmpty() && !(qos2 instanceof LinkedHashMap)) {
      qos2 = new LinkedHashMap<>();
    }
    return qos2;
  }

  private Map<String, Integer> subscriptionsw() {
    if (subscriptions.isEmpty() && !(subscriptions instanceof LinkedHashMap)) {
      subscriptions = new LinkedHashMap<>();
    }
    return subscriptions;
  }

  private Deque<Command> queuew() {
    if (queue == EMPTY_QUEUE) {
      queue = new ArrayDeque<>();
    }
    return queue;
  }

  private Map<Integer, Outbound> inflightw() {
    if (inflight.isEmpty() && !(inflight instanceof LinkedHashMap)) {
      inflight = new LinkedHashMap<>();
    }
    return inflight;
  }

  private Set<String> deliveredw() {
    if (delivered.isEmpty() && !(delivered instanceof LinkedHashSet)) {
      delivered = new LinkedHashSet<>();
    }
    return delivered;
  }

  Session(String clientId, boolean persistent, long expirySeconds) {
    this.clientId = clientId;
    this.persistent = persistent;
    this.everPersistent = persistent;
    this.expirySeconds = expirySeconds;
    this.disconnectedAt = -1;
  }

  public String clientId() {
    return clientId;
  }

  public synchronized boolean persistent() {
    return persistent;
  }

  public synchronized long expirySeconds() {
    return expirySeconds;
  }

  synchronized void attach(
      SessionLink link,
      long connection,
      boolean persistent,
      long expirySeconds,
      Predicate<String> mayReceive) {
    this.link = link;
    this.connection = connection;
    this.persistent = persistent;
    this.expirySeconds = expirySeconds;
    this.mayReceive = mayReceive;
    this.disconnectedAt = -1;
    this.everPersistent |= persistent;
  }

  synchronized boolean everPersistent() {
    return everPersistent;
  }

  /** Detaches {@code from} (false if another connection took the session over meanwhile). */
  synchronized boolean detach(SessionLink from, long now, long expirySeconds) {
    if (link != from) {
      return false;
    }
    link = null;
    disconnectedAt = now;
    this.expirySeconds = expirySeconds;
    if (expirySeconds == 0) {
      persistent = false;
    }
    // Pending QoS 2 appends of the closed connection stay: they complete and are then known.
    return true;
  }

  synchronized SessionLink link() {
    return link;
  }

  synchronized boolean expired(long now) {
    return link == null && disconnectedAt >= 0 && now - disconnectedAt >= expirySeconds * 1000;
  }

  synchronized void discard() {
    discarded = true;
  }

  public synchronized boolean discarded() {
    return discarded;
  }

  // ---- inbound QoS 2 [MQTT-4.3.3] ----

  /**
   * Classifies a QoS 2 PUBLISH. A known packet id is a repeat when it arrives on the connection
   * that first received it, or with DUP=1 and the same content [MQTT-3.3.1-1]: so a new message
   * that reuses the id of one whose PUBREL was lost in a crash is not mistaken for a repeat.
   */
  public synchronized Inbound inbound(int packetId, long hash, boolean dup, long fromConnection) {
    Qos2 q = qos2.get(packetId);
    if (q == null) {
      return Inbound.NEW;
    }
    boolean repeat = q.connection == fromConnection || (dup && q.hash == hash);
    if (!repeat) {
      return Inbound.NEW;
    }
    if (q.journaled.isDone()) {
      return q.journaled.getNow(false) ? Inbound.JOURNALED : Inbound.NEW;
    }
    return q.connection == fromConnection ? Inbound.PENDING : Inbound.PENDING_ELSEWHERE;
  }

  /** The future of a pending QoS 2 append (true once journaled), or null if not known. */
  public synchronized CompletableFuture<Boolean> whenJournaled(int packetId) {
    Qos2 q = qos2.get(packetId);
    return q == null ? null : q.journaled;
  }

  /**
   * A QoS 2 PUBLISH goes to the journal. Bounded: over {@code max} ids (the device's in-flight
   * window; ids left by a device that forgot them) the oldest is forgotten.
   */
  public synchronized void inboundPending(int packetId, long hash, long fromConnection, int max) {
    Map<Integer, Qos2> ids = qos2w();
    Qos2 previous = ids.remove(packetId);
    if (previous != null) {
      previous.journaled.complete(false);
    }
    while (max > 0 && ids.size() >= max) {
      Iterator<Qos2> eldest = ids.values().iterator();
      eldest.next();
      eldest.remove();
    }
    ids.put(packetId, new Qos2(hash, fromConnection));
  }

  /** The journal has it (ok) or refused it. */
  public synchronized void inboundJournaled(int packetId, boolean ok) {
    Qos2 q = qos2.get(packetId);
    if (q == null) {
      return;
    }
    if (!ok) {
      qos2.remove(packetId);
    }
    q.journaled.complete(ok);
  }

  /** PUBREL: the exchange ends. False if the packet id was not known. */
  public synchronized boolean inboundReleased(int packetId) {
    return qos2.remove(packetId) != null;
  }

  synchronized int inboundCount() {
    return qos2.size();
  }

  // ---- subscriptions ----

  /**
   * Adds or replaces a subscription [MQTT-3.8.4-3]. False when the session holds {@code max} other
   * filters already.
   */
  public synchronized boolean subscribe(String filter, int qos, int max) {
    if (!subscriptions.containsKey(filter) && subscriptions.size() >= max) {
      return false;
    }
    subscriptionsw().put(filter, qos);
    return true;
  }

  public synchronized boolean unsubscribe(String filter) {
    return subscriptions.remove(filter) != null;
  }

  /** The highest QoS of the subscriptions matching {@code topic}; -1 when none matches. */
  public synchronized int grantedQos(String topic) {
    int best = -1;
    for (Map.Entry<String, Integer> s : subscriptions.entrySet()) {
      if (s.getValue() > best && TopicFilters.matches(TopicFilters.levels(s.getKey()), topic)) {
        best = s.getValue();
      }
    }
    return best;
  }

  public synchronized Map<String, Integer> subscriptions() {
    return Map.copyOf(subscriptions);
  }

  // ---- commands ----

  /** What {@link #offer} did with a command. */
  public enum Offer {
    /** Queued; the connection was woken. */
    ONLINE,
    /** Queued in a session without a connection: to be saved before it counts as settled. */
    OFFLINE,
    /** The session holds or recently delivered a command with this id: nothing to do. */
    DUPLICATE,
    NOT_SUBSCRIBED,
    NOT_AUTHORIZED,
    QUEUE_FULL,
    NO_SESSION
  }

  /** A command and what became of it; {@code command} carries the QoS actually used. */
  public record Offered(Offer offer, Command command) {}

  /** Queues a command if a subscription matches, the ACL allows it and the queue has room. */
  synchronized Offered offer(Command command, int maxQueued) {
    if (discarded || (link == null && !persistent)) {
      return new Offered(Offer.NO_SESSION, command);
    }
    if (holds(command.id())) {
      return new Offered(Offer.DUPLICATE, command);
    }
    if (!mayReceive.test(command.topic())) {
      return new Offered(Offer.NOT_AUTHORIZED, command);
    }
    int granted = grantedQos(command.topic());
    if (granted < 0) {
      return new Offered(Offer.NOT_SUBSCRIBED, command);
    }
    if (queue.size() + inflight.size() >= maxQueued) {
      return new Offered(Offer.QUEUE_FULL, command);
    }
    // [MQTT-3.8.4-8] delivered at the lower of the message's QoS and the granted QoS.
    Command c = command.withQos(granted);
    queuew().add(c);
    if (link != null) {
      link.wake();
      return new Offered(Offer.ONLINE, c);
    }
    return new Offered(Offer.OFFLINE, c);
  }

  private boolean holds(String commandId) {
    if (delivered.contains(commandId)) {
      return true;
    }
    for (Command c : queue) {
      if (c.id().equals(commandId)) {
        return true;
      }
    }
    for (Outbound o : inflight.values()) {
      if (o.command().id().equals(commandId)) {
        return true;
      }
    }
    return false;
  }

  /** A command reached the device (PUBACK, PUBCOMP, QoS 0 written). */
  public synchronized void delivered(Command c, int remember) {
    Set<String> ids = deliveredw();
    ids.remove(c.id());
    ids.add(c.id());
    while (ids.size() > remember) {
      Iterator<String> eldest = ids.iterator();
      eldest.next();
      eldest.remove();
    }
  }

  /** The next queued command, or null. Called by the connection. */
  public synchronized Command nextQueued() {
    return queue.poll();
  }

  /** A QoS 1/2 command is being published: it gets a packet id and is in flight. */
  public synchronized int sending(Command c) {
    int id;
    do {
      id = nextPacketId;
      nextPacketId = nextPacketId == 65535 ? 1 : nextPacketId + 1;
    } while (inflight.containsKey(id));
    inflightw().put(id, new Outbound(id, c, false));
    return id;
  }

  public synchronized int inflightCount() {
    return inflight.size();
  }

  /** PUBACK (QoS 1) or PUBCOMP (QoS 2): the command delivered, or null if the id is not ours. */
  public synchronized Command acknowledged(int packetId) {
    Outbound o = inflight.remove(packetId);
    return o == null ? null : o.command();
  }

  /** PUBREC: the device has it; PUBREL follows. False if the id is not one of ours. */
  public synchronized boolean received(int packetId) {
    Outbound o = inflight.get(packetId);
    if (o == null || o.command().qos() != 2) {
      return false;
    }
    inflightw().put(packetId, new Outbound(packetId, o.command(), true));
    return true;
  }

  /** The commands in flight, in the order they were sent (to resend after a reconnect). */
  public synchronized List<Outbound> inflight() {
    return new ArrayList<>(inflight.values());
  }

  /** Every command held (queued and in flight), removing them: the session ends. */
  synchronized List<Command> drainAll() {
    List<Command> all = new ArrayList<>();
    inflight.values().forEach(o -> all.add(o.command()));
    all.addAll(queue);
    inflight.clear();
    queue.clear();
    return all;
  }

  /** Commands held whose consumer still waits (offline: settled once saved). */
  synchronized List<Command> unsettled() {
    List<Command> out = new ArrayList<>();
    inflight.values().forEach(o -> addIfUnsettled(out, o.command()));
    queue.forEach(c -> addIfUnsettled(out, c));
    return out;
  }

  private static void addIfUnsettled(List<Command> out, Command c) {
    if (c.unsettled()) {
      out.add(c);
    }
  }

  /** Queued commands whose time ran out, removed (a disconnected session's queue). */
  synchronized List<Command> removeExpired(long now) {
    List<Command> out = new ArrayList<>();
    for (Iterator<Command> it = queue.iterator(); it.hasNext(); ) {
      Command c = it.next();
      if (c.expired(now)) {
        it.remove();
        out.add(c);
      }
    }
    return out;
  }

  public synchronized int queued() {
    return queue.size() + inflight.size();
  }

  // ---- on disk ----

  synchronized JsonObject toJson() {
    JsonArray q2 = new JsonArray();
    qos2.forEach(
        (id, q) -> {
          if (q.journaled.getNow(false)) {
            q2.add(new JsonObject().put("packetId", id).put("hash", q.hash));
          }
        });
    JsonObject subs = new JsonObject();
    subscriptions.forEach(subs::put);
    JsonArray out = new JsonArray();
    inflight
        .values()
        .forEach(
            o ->
                out.add(
                    new JsonObject()
                        .put("packetId", o.packetId())
                        .put("released", o.released())
                        .put("command", o.command().toJson())));
    JsonArray queued = new JsonArray();
    queue.forEach(c -> queued.add(c.toJson()));
    JsonArray recent = new JsonArray();
    delivered.forEach(recent::add);
    return new JsonObject()
        .put("version", 1)
        .put("clientId", clientId)
        .put("expirySeconds", expirySeconds)
        .put("disconnectedAt", disconnectedAt)
        .put("nextPacketId", nextPacketId)
        .put("qos2", q2)
        .put("subscriptions", subs)
        .put("inflight", out)
        .put("queue", queued)
        .put("delivered", recent);
  }

  /**
   * A session read from disk. One that was connected when the gateway stopped counts as
   * disconnected at {@code now}.
   */
  static Session fromJson(JsonObject o, long now) {
    Session s = new Session(o.getString("clientId"), true, o.getLong("expirySeconds"));
    long at = o.getLong("disconnectedAt", -1L);
    s.disconnectedAt = at < 0 ? now : at;
    s.nextPacketId = o.getInteger("nextPacketId", 1);
    for (Object e : o.getJsonArray("qos2", new JsonArray())) {
      JsonObject q = (JsonObject) e;
      Qos2 restored = new Qos2(q.getLong("hash"), -1);
      restored.journaled.complete(true);
      s.qos2w().put(q.getInteger("packetId"), restored);
    }
    o.getJsonObject("subscriptions", new JsonObject())
        .forEach(e -> s.subscriptionsw().put(e.getKey(), ((Number) e.getValue()).intValue()));
    for (Object e : o.getJsonArray("inflight", new JsonArray())) {
      JsonObject f = (JsonObject) e;
      int id = f.getInteger("packetId");
      s.inflightw()
          .put(
              id,
              new Outbound(
                  id,
                  Command.fromJson(f.getJsonObject("command")),
                  f.getBoolean("released", false)));
    }
    for (Object e : o.getJsonArray("queue", new JsonArray())) {
      s.queuew().add(Command.fromJson((JsonObject) e));
    }
    for (Object e : o.getJsonArray("delivered", new JsonArray())) {
      s.deliveredw().add((String) e);
    }
    return s;
  }
}
