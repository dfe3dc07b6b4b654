package io.edgegate.gateway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.gateway.journal.Checkpoint;
import io.edgegate.gateway.journal.JournalSummary;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * {@code journal inspect --json}: the summary as one JSON object. Unknown or absent values (an
 * empty journal's indexes, no checkpoint yet, {@code du} unavailable, damaged entries not counted)
 * are null.
 */
final class SummaryJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SummaryJson() {}

  static String of(JournalSummary s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("dir", s.dir().toString());
    n.put("rollCycle", s.rollCycle());
    n.put("entries", s.entries());
    index(n, "firstIndex", s.firstIndex() < 0 ? null : s.firstIndex());
    index(n, "headIndex", s.headIndex() < 0 ? null : s.headIndex());
    index(
        n, "checkpointIndex", s.checkpointIndex() == Checkpoint.NONE ? null : s.checkpointIndex());
    n.put("backlog", s.backlog());
    ObjectNode files = n.putObject("files");
    files.put("count", s.fileCount());
    cycleFile(files, "first", s.firstFile());
    cycleFile(files, "last", s.lastFile());
    n.put("diskBytes", s.diskBytes() < 0 ? null : s.diskBytes());
    n.put("apparentBytes", s.apparentBytes());
    n.put("oldestReceivedAt", instant(s.oldestReceivedAt()));
    n.put("newestReceivedAt", instant(s.newestReceivedAt()));
    n.put("damagedEntries", s.damagedEntries() < 0 ? null : s.damagedEntries());
    n.put("problem", s.problem());
    ArrayNode quarantined = n.putArray("quarantined");
    for (JournalSummary.QuarantinedFile q : s.quarantined()) {
      quarantined
          .addObject()
          .put("path", q.path().toString())
          .put("bytes", q.bytes())
          .put("modified", q.modified().toString());
    }
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of strings and numbers always serialises
    }
  }

  /** {@code name} (decimal) and {@code nameHex}, both null when absent. */
  private static void index(ObjectNode n, String name, Long index) {
    n.put(name, index);
    n.put(name + "Hex", index == null ? null : JournalIndexes.hex(index));
  }

  private static void cycleFile(ObjectNode files, String name, JournalSummary.CycleFile f) {
    if (f == null) {
      files.putNull(name);
      return;
    }
    files
        .putObject(name)
        .put("name", f.name())
        .put("cycle", f.cycle())
        .put("start", f.start().toString());
  }

  private static String instant(Instant t) {
    return t == null ? null : t.toString();
  }
}
