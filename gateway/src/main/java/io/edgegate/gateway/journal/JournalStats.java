package io.edgegate.gateway.journal;

/**
 * What the journal reports about itself. Implementations are thread-safe: the journal's threads
 * write, the admin server reads.
 */
public interface JournalStats {
  // Every method is a no-op by default: an implementation reports only what it watches.

  default void appended(int bytes, long nanos) {}

  default void synced(long nanos) {}

  default void failed() {}

  default void refusedFull() {}

  default void damaged() {}

  /**
   * A damaged journal file was found while running and moved to quarantine: {@code salvaged}
   * readable entries were appended again, {@code unreadable} ones stay in the quarantined file.
   */
  default void repaired(int salvaged, int unreadable) {}

  /** Disk measured by housekeeping: bytes the journal uses, bytes free on its file system. */
  default void disk(long usedBytes, long freeBytes) {}

  /** Housekeeping deleted {@code files} journal files whose events were all forwarded. */
  default void deleted(int files) {}

  /** Reports nothing. */
  JournalStats NONE = new JournalStats() {};
}
