package io.edgegate.gateway.session;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The MQTT session of one client id: its lifecycle (attached to a connection or waiting for one
 * until it expires) and its parts — inbound QoS 2 packet ids ({@link InboundQos2Ids}),
 * subscriptions ({@link SessionSubscriptions}), commands queued and in flight to the device ({@link
 * PendingCommands}) and the ids delivered last ({@link DeliveredIds}); its file form is {@link
 * SessionJson}. <b>Thread-safe (coarse lock on the session)</b>: its connection's event loop, the
 * command consumer thread and the session store thread all touch it, each for a few map operations.
 * The parts are not thread-safe; they are guarded by this session's lock and assert it.
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

  /** A command published to the device and not yet acknowledged. */
  public record Outbound(int packetId, Command command, boolean released) {}

  private final String clientId;
  private boolean persistent;
  private long expirySeconds;
  private long disconnectedAt; // epoch millis; -1 while connected
  private SessionLink link;
  private long connection = -1;
  private Predicate<String> mayReceive = t -> true;
  private boolean discarded;
  private boolean everPersistent; // it may have a file on disk
  // Its parts, each guarded by this session's lock (they assert it).
  private final InboundQos2Ids inbound = new InboundQos2Ids(this);
  private final SessionSubscriptions subscriptions = new SessionSubscriptions(this);
  private final PendingCommands commands = new PendingCommands(this);
  private final DeliveredIds delivered = new DeliveredIds(this);

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

  // ---- inbound QoS 2 [MQTT-4.3.3]: InboundQos2Ids ----

  /**
   * Classifies a QoS 2 PUBLISH. A known packet id is a repeat when it arrives on the connection
   * that first received it, or with DUP=1 and the same content [MQTT-3.3.1-1]: so a new message
   * that reuses the id of one whose PUBREL was lost in a crash is not mistaken for a repeat.
   */
  public synchronized Inbound inbound(int packetId, long hash, boolean dup, long fromConnection) {
    return inbound.classify(packetId, hash, dup, fromConnection);
  }

  /** The future of a pending QoS 2 append (true once journaled), or null if not known. */
  public synchronized CompletableFuture<Boolean> whenJournaled(int packetId) {
    return inbound.whenJournaled(packetId);
  }

  /**
   * A QoS 2 PUBLISH goes to the journal. Bounded: over {@code max} ids (the device's in-flight
   * window; ids left by a device that forgot them) the oldest is forgotten.
   */
  public synchronized void inboundPending(int packetId, long hash, long fromConnection, int max) {
    inbound.pending(packetId, hash, fromConnection, max);
  }

  /** The journal has it (ok) or refused it. */
  public synchronized void inboundJournaled(int packetId, boolean ok) {
    inbound.journaled(packetId, ok);
  }

  /** PUBREL: the exchange ends. False if the packet id was not known. */
  public synchronized boolean inboundReleased(int packetId) {
    return inbound.released(packetId);
  }

  synchronized int inboundCount() {
    return inbound.count();
  }

  // ---- subscriptions: SessionSubscriptions ----

  /**
   * Adds or replaces a subscription [MQTT-3.8.4-3]. False when the session holds {@code max} other
   * filters already.
   */
  public synchronized boolean subscribe(String filter, int qos, int max) {
    return subscriptions.subscribe(filter, qos, max);
  }

  public synchronized boolean unsubscribe(String filter) {
    return subscriptions.unsubscribe(filter);
  }

  /** The highest QoS of the subscriptions matching {@code topic}; -1 when none matches. */
  public synchronized int grantedQos(String topic) {
    return subscriptions.grantedQos(topic);
  }

  public synchronized Map<String, Integer> subscriptions() {
    return Map.copyOf(subscriptions.view());
  }

  // ---- commands: PendingCommands, DeliveredIds ----

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
    if (delivered.contains(command.id()) || commands.holds(command.id())) {
      return new Offered(Offer.DUPLICATE, command);
    }
    if (!mayReceive.test(command.topic())) {
      return new Offered(Offer.NOT_AUTHORIZED, command);
    }
    int granted = subscriptions.grantedQos(command.topic());
    if (granted < 0) {
      return new Offered(Offer.NOT_SUBSCRIBED, command);
    }
    if (commands.size() >= maxQueued) {
      return new Offered(Offer.QUEUE_FULL, command);
    }
    // [MQTT-3.8.4-8] delivered at the lower of the message's QoS and the granted QoS.
    Command c = command.withQos(granted);
    commands.enqueue(c);
    if (link != null) {
      link.wake();
      return new Offered(Offer.ONLINE, c);
    }
    return new Offered(Offer.OFFLINE, c);
  }

  /** A command reached the device (PUBACK, PUBCOMP, QoS 0 written). */
  public synchronized void delivered(Command c, int remember) {
    delivered.add(c.id(), remember);
  }

  /** The next queued command, or null. Called by the connection. */
  public synchronized Command nextQueued() {
    return commands.nextQueued();
  }

  /** A QoS 1/2 command is being published: it gets a packet id and is in flight. */
  public synchronized int sending(Command c) {
    return commands.sending(c);
  }

  public synchronized int inflightCount() {
    return commands.inflightCount();
  }

  /** PUBACK (QoS 1) or PUBCOMP (QoS 2): the command delivered, or null if the id is not ours. */
  public synchronized Command acknowledged(int packetId) {
    return commands.acknowledged(packetId);
  }

  /** PUBREC: the device has it; PUBREL follows. False if the id is not one of ours. */
  public synchronized boolean received(int packetId) {
    return commands.received(packetId);
  }

  /** The commands in flight, in the order they were sent (to resend after a reconnect). */
  public synchronized List<Outbound> inflight() {
    return commands.inflightCopy();
  }

  /** Every command held (queued and in flight), removing them: the session ends. */
  synchronized List<Command> drainAll() {
    return commands.drainAll();
  }

  /** Commands held whose consumer still waits (offline: settled once saved). */
  synchronized List<Command> unsettled() {
    return commands.unsettled();
  }

  /** Queued commands whose time ran out, removed (a disconnected session's queue). */
  synchronized List<Command> removeExpired(long now) {
    return commands.removeExpired(now);
  }

  public synchronized int queued() {
    return commands.size();
  }

  // ---- on disk: SessionJson reads and writes these under this session's lock ----

  long disconnectedAt() {
    assert Thread.holdsLock(this);
    return disconnectedAt;
  }

  void restoreDisconnectedAt(long at) {
    assert Thread.holdsLock(this);
    disconnectedAt = at;
  }

  InboundQos2Ids inboundIds() {
    return inbound;
  }

  SessionSubscriptions subscriptionSet() {
    return subscriptions;
  }

  PendingCommands commands() {
    return commands;
  }

  DeliveredIds deliveredIds() {
    return delivered;
  }
}
