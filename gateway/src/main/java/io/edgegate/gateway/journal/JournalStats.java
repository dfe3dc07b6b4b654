package io.edgegate.gateway.journal;

/** What the journal reports about itself; called on the journal's own threads. */
public interface JournalStats {
  void appended(int bytes, long nanos);

  void synced(long nanos);

  void failed();

  void refusedFull();

  void damaged();

  /** Disk measured by housekeeping: bytes the journal uses, bytes free on its file system. */
  default void disk(long usedBytes, long freeBytes) {}

  /** Housekeeping deleted {@code files} journal files whose events were all forwarded. */
  default void deleted(int files) {}

  JournalStats NONE =
      new JournalStats() {
        @Override
        public void appended(int bytes, long nanos) {}

        @Override
        public void synced(long nanos) {}

        @Override
        public void failed() {}

        @Override
        public void refusedFull() {}

        @Override
        public void damaged() {}
      };
}
