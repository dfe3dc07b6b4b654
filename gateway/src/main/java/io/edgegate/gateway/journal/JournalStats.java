package io.edgegate.gateway.journal;

/** What the journal reports about itself; called on the journal's own threads. */
public interface JournalStats {
  void appended(int bytes, long nanos);

  void synced(long nanos);

  void failed();

  void refusedFull();

  void damaged();

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
