package io.edgegate.gateway.cli;

import io.edgegate.gateway.journal.Checkpoint;
import io.edgegate.gateway.journal.JournalSummary;
import java.time.Instant;
import java.util.Locale;

/** {@code journal inspect}: the summary for a person, one aligned line per figure. */
final class SummaryText {
  private static final String ROW = "%-13s %s%n";

  private SummaryText() {}

  static String of(JournalSummary s) {
    StringBuilder b = new StringBuilder();
    row(b, "Journal", s.dir() + " (roll cycle " + s.rollCycle() + ")");
    row(
        b,
        "Entries",
        s.entries() == 0
            ? "0 (empty)"
            : String.format(Locale.ROOT, "%,d", s.entries())
                + " from "
                + index(s.firstIndex())
                + " to "
                + index(s.headIndex()));
    row(b, "Head", s.headIndex() < 0 ? "none (empty)" : index(s.headIndex()));
    row(
        b,
        "Checkpoint",
        s.checkpointIndex() == Checkpoint.NONE
            ? "none (nothing forwarded yet)"
            : index(s.checkpointIndex()));
    row(
        b,
        "Backlog",
        String.format(Locale.ROOT, "%,d", s.backlog())
            + " entries after the checkpoint (not yet acknowledged by Kafka)");
    row(b, "Files", files(s));
    row(
        b,
        "Disk",
        (s.diskBytes() < 0 ? "unknown (du failed)" : bytes(s.diskBytes()) + " on disk")
            + " ("
            + bytes(s.apparentBytes())
            + " apparent: the files are sparse)");
    row(b, "Oldest event", instant(s.oldestReceivedAt()));
    row(b, "Newest event", instant(s.newestReceivedAt()));
    if (s.problem() != null) {
      row(b, "Damaged", s.damagedEntries() + " unreadable; " + s.problem());
    }
    if (s.quarantined().isEmpty()) {
      row(b, "Quarantined", "none");
    } else {
      row(b, "Quarantined", s.quarantined().size() + " damaged file(s) kept for inspection:");
      for (JournalSummary.QuarantinedFile q : s.quarantined()) {
        row(b, "", q.path() + " (" + bytes(q.bytes()) + ", " + q.modified() + ")");
      }
    }
    b.setLength(b.length() - System.lineSeparator().length());
    return b.toString();
  }

  private static String files(JournalSummary s) {
    if (s.fileCount() == 0) {
      return "none";
    }
    String first = s.firstFile().name() + " (cycle from " + s.firstFile().start() + ")";
    if (s.fileCount() == 1) {
      return "1: " + first;
    }
    return s.fileCount()
        + ": "
        + first
        + " to "
        + s.lastFile().name()
        + " (cycle from "
        + s.lastFile().start()
        + ")";
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append(String.format(Locale.ROOT, ROW, name, value));
  }

  private static String index(long index) {
    return JournalIndexes.hex(index) + " (" + index + ")";
  }

  private static String instant(Instant t) {
    return t == null ? "unknown" : t.toString();
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
