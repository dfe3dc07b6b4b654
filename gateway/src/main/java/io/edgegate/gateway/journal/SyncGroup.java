package io.edgegate.gateway.journal;

import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.thread.Confinement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.MessagePassingQueue;

/**
 * The group commit of {@link JournalWriter}: the entries appended and not yet synced, and when to
 * sync them ({@code journal.sync}, {@code syncInterval}, {@code syncBytes}, {@code
 * syncMinInterval}).
 *
 * <p><b>Confined to the writer thread</b> {@code edgegate-journal-writer}: every method is called
 * on it and asserts it.
 */
final class SyncGroup {
  private final JournalConfig config;
  private final Thread writer;
  private final List<AppendRequest> unsynced = new ArrayList<>();
  private long unsyncedBytes;
  private long groupStart;
  // when the last fsync started (journal.syncMinInterval counts from it)
  private long lastSyncStart = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

  SyncGroup(JournalConfig config, Thread writer) {
    this.config = config;
    this.writer = writer;
  }

  /** Adds entries just appended (not empty) to the group. Called on the writer thread. */
  void add(List<AppendRequest> appended) {
    assert Confinement.onThread(writer);
    if (unsynced.isEmpty()) {
      groupStart = System.nanoTime();
    }
    unsynced.addAll(appended);
    for (AppendRequest r : appended) {
      unsyncedBytes += r.weight;
    }
  }

  /** Whether no appended entry waits for a sync. Called on the writer thread. */
  boolean isEmpty() {
    assert Confinement.onThread(writer);
    return unsynced.isEmpty();
  }

  /**
   * Whether the group appended so far is synced now. {@code batch}: once the writer has caught up
   * ({@code queued} is empty), so that a group holds what arrived during the previous fsync and no
   * timer holds an acknowledgement back; a group that keeps growing is closed at {@code syncBytes}
   * or after {@code syncInterval}. {@code always}: after every drained batch. Called on the writer
   * thread.
   */
  boolean due(MessagePassingQueue<?> queued, boolean closing) {
    assert Confinement.onThread(writer);
    return config.sync == JournalConfig.Sync.ALWAYS
        || closing
        || (queued.isEmpty()
            && System.nanoTime() - lastSyncStart >= config.syncMinInterval.toNanos())
        || unsyncedBytes >= config.syncBytes
        || System.nanoTime() - groupStart >= config.syncInterval.toNanos();
  }

  /**
   * How long until {@code syncMinInterval} has passed since the last fsync started (zero or less:
   * it has). Called on the writer thread.
   */
  long minIntervalLeftNanos() {
    assert Confinement.onThread(writer);
    return lastSyncStart + config.syncMinInterval.toNanos() - System.nanoTime();
  }

  /**
   * The group's entries, for a sync starting at {@code startNanos}; {@link #clear} once their
   * outcome is handed on. Called on the writer thread.
   */
  List<AppendRequest> syncStarts(long startNanos) {
    assert Confinement.onThread(writer);
    lastSyncStart = startNanos;
    return unsynced;
  }

  /** Empties the group: what arrives next forms the next one. Called on the writer thread. */
  void clear() {
    assert Confinement.onThread(writer);
    unsynced.clear();
    unsyncedBytes = 0;
  }
}
