package io.edgegate.gateway.journal;

import java.lang.reflect.Method;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.WriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases Chronicle Queue's write lock after a failed append. When {@code writingDocument()} must
 * roll to a new cycle file and cannot create it (disk full, directory gone), Chronicle throws with
 * the queue's write lock still held, and every later append then waits for it and times out. The
 * journal has a single writer thread in this process, so a lock held by this process after a
 * failure is that leak. Chronicle's accessor is package-private, hence reflection; if a later
 * version changes it, this logs once and appends recover through Chronicle's own lock timeout.
 */
final class LeakedWriteLock {
  private static final Logger log = LoggerFactory.getLogger(LeakedWriteLock.class);
  private static final Method WRITE_LOCK = writeLockMethod();

  private LeakedWriteLock() {}

  /** After a failed append, by the thread that appended (the lock is held by its thread id). */
  static void release(SingleChronicleQueue queue) {
    if (WRITE_LOCK == null) {
      return;
    }
    try {
      WriteLock lock = (WriteLock) WRITE_LOCK.invoke(queue);
      if (lock.locked() && lock.isLockedByCurrentProcess(tid -> {})) {
        lock.unlock();
        log.debug("Released the journal write lock left held by a failed append");
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("Could not release the journal write lock after a failed append: {}", e.toString());
    }
  }

  private static Method writeLockMethod() {
    try {
      Method m = SingleChronicleQueue.class.getDeclaredMethod("writeLock");
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn(
          "Chronicle Queue's write lock is not reachable ({}); a failed roll may stall appends"
              + " until Chronicle's lock timeout",
          e.toString());
      return null;
    }
  }
}
