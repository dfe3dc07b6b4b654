package io.edgegate.gateway.session;

import io.edgegate.gateway.config.MqttSessionsConfig;
import io.edgegate.gateway.session.CommandOutcomes.Outcome;
import io.edgegate.gateway.thread.Confinement;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions by client id: opened at CONNECT, kept after the connection when persistent, expired
 * by a periodic {@link #expire}, saved in a {@link SessionStore}. Thread-safe: opening and closing
 * are serialised on this object (connections come and go far less often than messages); command
 * offers take only the session's lock.
 */
public final class Sessions {
  private final Confinement.Owner offerer = Confinement.firstCaller();
  private static final Logger log = LoggerFactory.getLogger(Sessions.class);

  private final MqttSessionsConfig config;
  private final SessionStore store; // null: nothing kept on disk (tests)
  private final Clock clock;
  private final ConcurrentHashMap<String, Session> byClientId = new ConcurrentHashMap<>();
  private final AtomicLong connections = new AtomicLong();
  private volatile CommandOutcomes outcomes = CommandOutcomes.SETTLE_ONLY;

  public Sessions(MqttSessionsConfig config, SessionStore store, Clock clock) {
    this.config = config;
    this.store = store;
    this.clock = clock;
  }

  /** Where command outcomes go (set once the command side starts). */
  public void outcomes(CommandOutcomes outcomes) {
    this.outcomes = outcomes;
  }

  public CommandOutcomes outcomes() {
    return outcomes;
  }

  public MqttSessionsConfig config() {
    return config;
  }

  /** Restores the sessions saved by the last run; expired ones are dropped. Blocking. */
  public int restore() throws IOException {
    if (store == null) {
      return 0;
    }
    long now = clock.millis();
    for (JsonObject o : store.load()) {
      Session s = SessionJson.read(o, now);
      if (s.expired(now)) {
        store.delete(s.clientId());
      } else {
        byClientId.put(s.clientId(), s);
      }
    }
    return byClientId.size();
  }

  /** A connection's own number, so that a session tells its connections apart. */
  public long newConnectionId() {
    return connections.incrementAndGet();
  }

  /** The session a CONNECT gets; {@code session} null when refused (too many sessions). */
  public record Opened(Session session, boolean present) {}

  /**
   * Opens the session of a CONNECT [MQTT-3.1.2-4/5/6 for 3.1.1 CleanSession, 3.1.2.4 Clean Start
   * for 5]: the existing one is resumed unless {@code cleanStart}, otherwise a new one starts; a
   * persistent one over {@code mqtt.sessions.max} is refused. Synchronized: any connection's loop
   * may open a session at the same time as another.
   */
  public synchronized Opened open(
      String clientId,
      boolean cleanStart,
      long expirySeconds,
      SessionLink link,
      long connectionId,
      Predicate<String> mayReceive) {
    long now = clock.millis();
    boolean persistent = expirySeconds > 0;
    Session existing = byClientId.get(clientId);
    if (existing != null && (cleanStart || existing.expired(now))) {
      end(
          existing,
          existing.expired(now) ? Outcome.EXPIRED : Outcome.REFUSED,
          OutcomeReason.SESSION_ENDED);
      existing = null;
    }
    if (existing != null) {
      existing.attach(link, connectionId, persistent, expirySeconds, mayReceive);
      return new Opened(existing, true);
    }
    if (persistent && persistentCount() >= config.max) {
      return new Opened(null, false);
    }
    Session s = new Session(clientId, persistent, expirySeconds);
    s.attach(link, connectionId, persistent, expirySeconds, mayReceive);
    byClientId.put(clientId, s);
    if (persistent) {
      save(s);
    }
    return new Opened(s, false);
  }

  private long persistentCount() {
    return byClientId.values().stream().filter(Session::persistent).count();
  }

  /**
   * The connection {@code link} of the session ended; {@code expirySeconds} is the interval in
   * force (possibly changed by an MQTT 5 DISCONNECT, section 3.14.2.2.2). A session that is not
   * persistent ends and its commands are refused; a persistent one is saved and its commands then
   * count as queued. Any thread.
   */
  public synchronized void closed(Session session, SessionLink link, long expirySeconds) {
    if (!session.detach(link, clock.millis(), expirySeconds) || session.discarded()) {
      return; // taken over by a newer connection (which has the session now), or ended
    }
    if (!session.persistent()) {
      end(session, Outcome.REFUSED, OutcomeReason.DISCONNECTED);
      return;
    }
    List<Command> waiting = session.unsettled();
    save(session)
        .whenComplete(
            (v, e) ->
                waiting.forEach(c -> outcomes.report(c, Outcome.QUEUED, OutcomeReason.OFFLINE)));
  }

  private void end(Session s, Outcome outcome, OutcomeReason reason) {
    boolean removed = byClientId.remove(s.clientId(), s);
    s.discard();
    for (Command c : s.drainAll()) {
      outcomes.report(c, outcome, reason);
    }
    if (store != null && removed && s.everPersistent()) {
      store.delete(s.clientId()); // also a session that stopped being persistent at DISCONNECT
    }
  }

  /** Saves a persistent session; the future completes when it is durable. Any thread. */
  public CompletableFuture<Void> save(Session s) {
    if (store == null || !s.persistent() || s.discarded()) {
      return CompletableFuture.completedFuture(null);
    }
    return store.save(s);
  }

  /**
   * Offers a command to its device's session and reports what became of it unless it was handed to
   * a live connection (which reports delivery). Called on the command consumer thread.
   */
  public void offer(Command command) {
    assert offerer.check();
    long now = clock.millis();
    if (command.expired(now)) {
      outcomes.report(command, Outcome.EXPIRED, OutcomeReason.TTL);
      return;
    }
    Session s = byClientId.get(command.deviceId());
    if (s == null) {
      outcomes.report(command, Outcome.REFUSED, OutcomeReason.NO_SESSION);
      return;
    }
    Session.Offered r = s.offer(command, config.maxQueued);
    switch (r.offer()) {
      case ONLINE -> {}
      case OFFLINE ->
          save(s)
              .whenComplete(
                  (v, e) -> {
                    if (e != null) {
                      log.warn("Command {} not saved: {}", command.id(), e.toString());
                    }
                    outcomes.report(r.command(), Outcome.QUEUED, OutcomeReason.OFFLINE);
                  });
      case DUPLICATE -> {
        log.debug("Command {} for '{}' is held or delivered already", command.id(), s.clientId());
        command.settle();
      }
      case NO_SESSION -> outcomes.report(command, Outcome.REFUSED, OutcomeReason.NO_SESSION);
      case NOT_SUBSCRIBED ->
          outcomes.report(command, Outcome.REFUSED, OutcomeReason.NOT_SUBSCRIBED);
      case NOT_AUTHORIZED ->
          outcomes.report(command, Outcome.REFUSED, OutcomeReason.NOT_AUTHORIZED);
      case QUEUE_FULL -> outcomes.report(command, Outcome.REFUSED, OutcomeReason.QUEUE_FULL);
    }
  }

  /**
   * Ends disconnected sessions whose expiry interval has passed and drops expired commands from
   * offline queues. Any thread (periodic).
   */
  public synchronized void expire() {
    long now = clock.millis();
    for (Session s : byClientId.values()) {
      if (s.expired(now)) {
        log.debug("Session of '{}' expired", s.clientId());
        end(s, Outcome.EXPIRED, OutcomeReason.SESSION_EXPIRED);
      } else if (s.link() == null) {
        List<Command> gone = s.removeExpired(now);
        if (!gone.isEmpty()) {
          gone.forEach(c -> outcomes.report(c, Outcome.EXPIRED, OutcomeReason.TTL));
          save(s);
        }
      }
    }
  }

  public Session get(String clientId) {
    return byClientId.get(clientId);
  }

  /** Sessions held, connected or not. */
  public int size() {
    return byClientId.size();
  }

  /** Commands held by all sessions (queued and in flight). */
  public long queuedCommands() {
    long n = 0;
    for (Session s : byClientId.values()) {
      n += s.queued();
    }
    return n;
  }

  /** Writes pending changes and stops the store. Blocking. */
  public void close() {
    if (store != null) {
      store.close();
    }
  }
}
