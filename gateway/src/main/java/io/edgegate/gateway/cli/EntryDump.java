package io.edgegate.gateway.cli;

import io.edgegate.gateway.journal.JournalCursor;
import io.edgegate.gateway.journal.JournalEntry;
import io.edgegate.gateway.journal.JournalEvent;
import java.io.PrintWriter;

/**
 * Prints entries from a cursor as JSON lines ({@link EntryJson}): those up to index {@code to}, of
 * one client if asked, at most {@code limit}. A damaged entry is always printed: which client it
 * belongs to cannot be known, and an operator must see it.
 */
final class EntryDump {
  private static final int CHECK_OUTPUT_EVERY = 1024;

  private final PrintWriter out;
  private final EntryJson json = new EntryJson();
  private final long to;
  private final String client;
  private final long limit;
  private long printed;

  /**
   * @param to the last index to print, {@link Long#MAX_VALUE} for no bound
   * @param client the client id to print events of, or null for all
   * @param limit the most entries to print, {@link Long#MAX_VALUE} for no limit
   */
  EntryDump(PrintWriter out, long to, String client, long limit) {
    this.out = out;
    this.to = to;
    this.client = client;
    this.limit = limit;
  }

  /**
   * Prints what the cursor has now. Returns true when more may come later (the cursor is at the
   * journal's end), false when done: past {@code to}, at the limit, or the output was closed (e.g.
   * piped into {@code head}).
   */
  boolean drain(JournalCursor cursor) {
    try {
      JournalEntry entry;
      while ((entry = cursor.next()) != null) {
        if (entry.index() > to) {
          return false;
        }
        if (!wanted(entry)) {
          continue;
        }
        out.println(json.line(entry));
        printed++;
        if (printed >= limit) {
          return false;
        }
        if (printed % CHECK_OUTPUT_EVERY == 0 && out.checkError()) {
          return false;
        }
      }
      return !out.checkError(); // flushes, so a follower sees each batch at once
    } finally {
      out.flush();
    }
  }

  private boolean wanted(JournalEntry entry) {
    return client == null || !(entry instanceof JournalEvent e) || client.equals(e.clientId());
  }
}
