package io.edgegate.gateway.trace;

import io.edgegate.gateway.journal.JournalCursor;
import io.edgegate.gateway.journal.JournalEntry;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalInspector;
import io.edgegate.gateway.journal.JournalPositions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Finds events in the journal by reading it: a streamed scan (one entry in memory at a time, or the
 * last N of a device), up to the head as it was when the search began, so a busy gateway cannot
 * keep it going for ever. Chronicle has no index by event id, so this is linear in the entries
 * read; time-ordered (version 7) ids and {@code --since} let it skip the files written before the
 * event could have arrived. Damaged entries are passed over. <b>Not thread-safe</b>: the journal's
 * owner thread calls it.
 */
final class JournalSearch {
  private final JournalInspector journal;
  private final long skewMillis;

  /**
   * @param skew how far the journal's clock may be behind the time in an id (files are skipped up
   *     to that time minus the skew)
   */
  JournalSearch(JournalInspector journal, Duration skew) {
    this.journal = journal;
    this.skewMillis = skew.toMillis();
  }

  /**
   * The entry of event {@code id}, or null. Reads every entry from the file of the id's time (a
   * version 7 id) or from the oldest entry (another id) to the head: at worst the retained journal.
   */
  JournalEvent byId(UUID id, long headIndex) {
    if (headIndex < 0) {
      return null;
    }
    Long idTime = EventTimes.of(id);
    try (JournalCursor cursor = cursorFrom(idTime == null ? null : idTime - skewMillis)) {
      for (JournalEntry e = cursor.next(); e != null && e.index() <= headIndex; e = cursor.next()) {
        if (e instanceof JournalEvent event && event.eventId().equals(id)) {
          return event;
        }
      }
    }
    return null;
  }

  /**
   * The last {@code last} events of {@code device} received in [{@code sinceMillis}, {@code
   * untilMillis}], oldest first. Reads every entry from the file of {@code sinceMillis} (or the
   * oldest) to the head; holds at most {@code last} events.
   */
  List<JournalEvent> byDevice(
      String device, Long sinceMillis, Long untilMillis, int last, long headIndex) {
    ArrayDeque<JournalEvent> kept = new ArrayDeque<>(Math.min(last, 1024));
    if (headIndex < 0 || last <= 0) {
      return List.of();
    }
    try (JournalCursor cursor = cursorFrom(sinceMillis == null ? null : sinceMillis - skewMillis)) {
      for (JournalEntry e = cursor.next(); e != null && e.index() <= headIndex; e = cursor.next()) {
        if (e instanceof JournalEvent event
            && (sinceMillis == null || event.receivedAtMillis() >= sinceMillis)
            && (untilMillis == null || event.receivedAtMillis() <= untilMillis)
            && event.clientId().equals(device)) {
          if (kept.size() == last) {
            kept.removeFirst();
          }
          kept.addLast(event);
        }
      }
    }
    return new ArrayList<>(kept);
  }

  private JournalCursor cursorFrom(Long millis) {
    return millis == null
        ? journal.cursorAtStart()
        : journal.cursorAt(JournalPositions.firstIndexFrom(journal, millis));
  }
}
