package io.edgegate.gateway.session;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The ids of the commands a session delivered last, oldest first, bounded by the caller's {@code
 * remember}: a command read again from Kafka after a crash between its settlement and the offset
 * commit is recognised and not delivered twice. <b>Not thread-safe: guarded by its session's
 * lock</b>, which every method asserts.
 */
final class DeliveredIds {
  private final Object lock;
  // Allocated on the first delivery.
  private Set<String> ids = Collections.emptySet();

  DeliveredIds(Object lock) {
    this.lock = lock;
  }

  private Set<String> writable() {
    if (ids.isEmpty() && !(ids instanceof LinkedHashSet)) {
      ids = new LinkedHashSet<>();
    }
    return ids;
  }

  boolean contains(String commandId) {
    assert Thread.holdsLock(lock);
    return ids.contains(commandId);
  }

  /**
   * {@code commandId} was delivered: it becomes the newest; over {@code remember} the oldest go.
   */
  void add(String commandId, int remember) {
    assert Thread.holdsLock(lock);
    Set<String> w = writable();
    w.remove(commandId);
    w.add(commandId);
    while (w.size() > remember) {
      Iterator<String> eldest = w.iterator();
      eldest.next();
      eldest.remove();
    }
  }

  /** An id read from disk, appended as the newest (the file lists them oldest first). */
  void restore(String commandId) {
    assert Thread.holdsLock(lock);
    writable().add(commandId);
  }

  /** The ids, oldest first, to read while the lock is held. */
  Set<String> view() {
    assert Thread.holdsLock(lock);
    return Collections.unmodifiableSet(ids);
  }
}
