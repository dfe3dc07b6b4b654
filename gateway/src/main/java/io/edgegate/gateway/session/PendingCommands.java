package io.edgegate.gateway.session;

import io.edgegate.gateway.session.Session.Outbound;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands a session holds for its device: queued (not yet published) in arrival order, and in
 * flight (published at QoS 1/2, not yet acknowledged) by packet id in the order they were sent; and
 * the next packet id to give out (1..65535, skipping ids in flight). <b>Not thread-safe: guarded by
 * its session's lock</b>, which every method asserts.
 */
final class PendingCommands {
  private static final Deque<Command> EMPTY_QUEUE = new ArrayDeque<>(0);

  private final Object lock;
  // Most sessions never hold a command: allocated on the first write (an empty one reads the same).
  private Deque<Command> queue = EMPTY_QUEUE;
  private Map<Integer, Outbound> inflight = Collections.emptyMap();
  private int nextPacketId = 1;

  PendingCommands(Object lock) {
    this.lock = lock;
  }

  private Deque<Command> queueWritable() {
    if (queue == EMPTY_QUEUE) {
      queue = new ArrayDeque<>();
    }
    return queue;
  }

  private Map<Integer, Outbound> inflightWritable() {
    if (inflight.isEmpty() && !(inflight instanceof LinkedHashMap)) {
      inflight = new LinkedHashMap<>();
    }
    return inflight;
  }

  /** Queued and in flight. */
  int size() {
    assert Thread.holdsLock(lock);
    return queue.size() + inflight.size();
  }

  int inflightCount() {
    assert Thread.holdsLock(lock);
    return inflight.size();
  }

  /** True if a command with this id is queued or in flight. */
  boolean holds(String commandId) {
    assert Thread.holdsLock(lock);
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

  void enqueue(Command c) {
    assert Thread.holdsLock(lock);
    queueWritable().add(c);
  }

  /** The next queued command, removed, or null. */
  Command nextQueued() {
    assert Thread.holdsLock(lock);
    return queue.poll();
  }

  /** A QoS 1/2 command is being published: it gets a free packet id and is in flight. */
  int sending(Command c) {
    assert Thread.holdsLock(lock);
    int id;
    do {
      id = nextPacketId;
      nextPacketId = nextPacketId == 65535 ? 1 : nextPacketId + 1;
    } while (inflight.containsKey(id));
    inflightWritable().put(id, new Outbound(id, c, false));
    return id;
  }

  /** PUBACK or PUBCOMP: the command of {@code packetId}, no longer in flight; null if not ours. */
  Command acknowledged(int packetId) {
    assert Thread.holdsLock(lock);
    Outbound o = inflight.remove(packetId);
    return o == null ? null : o.command();
  }

  /** PUBREC of a QoS 2 command: it is marked released. False if the id is not one of ours. */
  boolean received(int packetId) {
    assert Thread.holdsLock(lock);
    Outbound o = inflight.get(packetId);
    if (o == null || o.command().qos() != 2) {
      return false;
    }
    inflightWritable().put(packetId, new Outbound(packetId, o.command(), true));
    return true;
  }

  /** A copy of the commands in flight, in the order they were sent. */
  List<Outbound> inflightCopy() {
    assert Thread.holdsLock(lock);
    return new ArrayList<>(inflight.values());
  }

  /** Every command held, in flight first, removing them. */
  List<Command> drainAll() {
    assert Thread.holdsLock(lock);
    List<Command> all = new ArrayList<>(size());
    for (Outbound o : inflight.values()) {
      all.add(o.command());
    }
    all.addAll(queue);
    inflight.clear();
    queue.clear();
    return all;
  }

  /** The commands held whose consumer still waits for their settlement, in flight first. */
  List<Command> unsettled() {
    assert Thread.holdsLock(lock);
    List<Command> out = new ArrayList<>();
    for (Outbound o : inflight.values()) {
      addIfUnsettled(out, o.command());
    }
    for (Command c : queue) {
      addIfUnsettled(out, c);
    }
    return out;
  }

  private static void addIfUnsettled(List<Command> out, Command c) {
    if (c.unsettled()) {
      out.add(c);
    }
  }

  /** The queued commands whose time ran out at {@code now}, removed (in flight ones stay). */
  List<Command> removeExpired(long now) {
    assert Thread.holdsLock(lock);
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

  // ---- the file form reads and restores these, under the lock ----

  int nextPacketId() {
    assert Thread.holdsLock(lock);
    return nextPacketId;
  }

  Collection<Outbound> inflightView() {
    assert Thread.holdsLock(lock);
    return Collections.unmodifiableCollection(inflight.values());
  }

  Collection<Command> queueView() {
    assert Thread.holdsLock(lock);
    return Collections.unmodifiableCollection(queue);
  }

  void restoreNextPacketId(int id) {
    assert Thread.holdsLock(lock);
    nextPacketId = id;
  }

  void restoreInflight(Outbound o) {
    assert Thread.holdsLock(lock);
    inflightWritable().put(o.packetId(), o);
  }
}
