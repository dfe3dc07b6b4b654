package io.edgegate.gateway.session;

import io.edgegate.gateway.session.Session.Inbound;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The packet ids of a session's inbound QoS 2 messages between PUBLISH and PUBREL [MQTT-4.3.3],
 * each with its content hash, the connection that received it and whether the journal has it.
 * Bounded by the caller's {@code max} (the device's in-flight window). <b>Not thread-safe: guarded
 * by its session's lock</b>, which every method asserts.
 */
final class InboundQos2Ids {
  /** One message between PUBLISH and PUBREL. */
  static final class Receipt {
    final long hash;
    final long connection; // the connection that received it; -1: restored from disk
    final CompletableFuture<Boolean> journaled = new CompletableFuture<>();

    Receipt(long hash, long connection) {
      this.hash = hash;
      this.connection = connection;
    }
  }

  private final Object lock;
  // Most sessions never hold one: allocated on the first write (an empty immutable one reads the
  // same).
  private Map<Integer, Receipt> ids = Collections.emptyMap();

  InboundQos2Ids(Object lock) {
    this.lock = lock;
  }

  private Map<Integer, Receipt> writable() {
    if (ids.isEmpty() && !(ids instanceof LinkedHashMap)) {
      ids = new LinkedHashMap<>();
    }
    return ids;
  }

  /**
   * Classifies a QoS 2 PUBLISH. A known packet id is a repeat when it arrives on the connection
   * that first received it, or with DUP=1 and the same content [MQTT-3.3.1-1]: so a new message
   * that reuses the id of one whose PUBREL was lost in a crash is not mistaken for a repeat.
   */
  Inbound classify(int packetId, long hash, boolean dup, long fromConnection) {
    assert Thread.holdsLock(lock);
    Receipt r = ids.get(packetId);
    if (r == null) {
      return Inbound.NEW;
    }
    boolean repeat = r.connection == fromConnection || (dup && r.hash == hash);
    if (!repeat) {
      return Inbound.NEW;
    }
    if (r.journaled.isDone()) {
      return r.journaled.getNow(false) ? Inbound.JOURNALED : Inbound.NEW;
    }
    return r.connection == fromConnection ? Inbound.PENDING : Inbound.PENDING_ELSEWHERE;
  }

  /** The future of a pending append (true once journaled), or null if the id is not known. */
  CompletableFuture<Boolean> whenJournaled(int packetId) {
    assert Thread.holdsLock(lock);
    Receipt r = ids.get(packetId);
    return r == null ? null : r.journaled;
  }

  /**
   * A PUBLISH goes to the journal; over {@code max} ids (when positive) the oldest is forgotten.
   */
  void pending(int packetId, long hash, long fromConnection, int max) {
    assert Thread.holdsLock(lock);
    Map<Integer, Receipt> w = writable();
    Receipt previous = w.remove(packetId);
    if (previous != null) {
      previous.journaled.complete(false);
    }
    while (max > 0 && w.size() >= max) {
      Iterator<Receipt> eldest = w.values().iterator();
      eldest.next();
      eldest.remove();
    }
    w.put(packetId, new Receipt(hash, fromConnection));
  }

  /** The journal has it (ok) or refused it (then the id is forgotten). */
  void journaled(int packetId, boolean ok) {
    assert Thread.holdsLock(lock);
    Receipt r = ids.get(packetId);
    if (r == null) {
      return;
    }
    if (!ok) {
      ids.remove(packetId);
    }
    r.journaled.complete(ok);
  }

  /** PUBREL: the exchange ends. False if the id was not known. */
  boolean released(int packetId) {
    assert Thread.holdsLock(lock);
    return ids.remove(packetId) != null;
  }

  int count() {
    assert Thread.holdsLock(lock);
    return ids.size();
  }

  /** An id read from disk: journaled before the restart, on no connection of this run. */
  void restore(int packetId, long hash) {
    assert Thread.holdsLock(lock);
    Receipt r = new Receipt(hash, -1);
    r.journaled.complete(true);
    writable().put(packetId, r);
  }

  /** The ids and their receipts, oldest first, to read while the lock is held (saving). */
  Map<Integer, Receipt> view() {
    assert Thread.holdsLock(lock);
    return Collections.unmodifiableMap(ids);
  }
}
