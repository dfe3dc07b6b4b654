package io.edgegate.gateway.journal;

import java.time.Instant;

/**
 * How far a journal reaches: its entries, first and last index, backlog and receive times.
 *
 * @param damaged entries that cannot be read, or -1 when not counted
 * @param problem why the extent was scanned rather than looked up, or null
 */
record JournalExtent(
    long entries,
    long first,
    long last,
    long backlog,
    Instant oldestReceivedAt,
    Instant newestReceivedAt,
    long damaged,
    String problem) {

  static final JournalExtent EMPTY = new JournalExtent(0, -1, -1, 0, null, null, -1, null);

  /**
   * Reads every entry from {@code cursor} (at the start): slow, but goes on past damage that
   * defeats Chronicle's index look-ups, and counts the damaged entries.
   */
  static JournalExtent scan(JournalCursor cursor, long checkpoint, String problem) {
    long entries = 0;
    long first = -1;
    long last = -1;
    long backlog = 0;
    long damaged = 0;
    Instant oldest = null;
    Instant newest = null;
    JournalEntry e;
    while ((e = cursor.next()) != null) {
      entries++;
      if (first < 0) {
        first = e.index();
      }
      last = e.index();
      if (checkpoint == Checkpoint.NONE || e.index() > checkpoint) {
        backlog++;
      }
      if (e instanceof JournalEvent event) {
        newest = Instant.ofEpochMilli(event.receivedAtMillis());
        if (oldest == null) {
          oldest = newest;
        }
      } else {
        damaged++;
      }
    }
    return new JournalExtent(entries, first, last, backlog, oldest, newest, damaged, problem);
  }
}
