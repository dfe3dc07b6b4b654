package io.edgegate.gateway.journal;

import net.openhft.chronicle.queue.RollCycle;

/**
 * Where entries lie relative to each other and to time, for tools that locate one event ({@code
 * edgegate trace}). Read-only look-ups on a {@link JournalInspector}; the same threading rules.
 */
public final class JournalPositions {
  private JournalPositions() {}

  /**
   * Entries with an index after {@code after} up to and including {@code upTo}: Chronicle's index
   * look-ups (a few per file), so cheap whatever the distance. {@code after} may be {@link
   * Checkpoint#NONE} or lie in a file already deleted: then every entry up to {@code upTo} counts.
   *
   * @throws JournalUnreadableException when damage defeats the look-ups
   */
  public static long entriesBetween(JournalInspector journal, long after, long upTo) {
    if (upTo <= after) {
      return 0;
    }
    long first = journal.firstIndex();
    if (first < 0 || upTo < first) {
      return 0;
    }
    if (after < first) {
      return journal.countExcerpts("to count entries", first, upTo) + 1;
    }
    // [after, upTo) has as many entries as (after, upTo] when both exist: the same count as the
    // backlog's (JournalSurvey).
    return journal.countExcerpts("to count entries", after, upTo);
  }

  /**
   * The lowest index a file begun at or after {@code millis} can hold: entries appended since then
   * have this index or a greater one. An event is appended after it is received, so a search for an
   * event received at {@code millis} may start here.
   */
  public static long firstIndexFrom(JournalInspector journal, long millis) {
    RollCycle roll = journal.roll();
    long cycle = Math.floorDiv(Math.max(0, millis), (long) roll.lengthInMillis());
    return roll.toIndex((int) Math.min(Integer.MAX_VALUE, cycle), 0);
  }
}
