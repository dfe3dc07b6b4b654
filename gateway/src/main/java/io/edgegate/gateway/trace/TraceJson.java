package io.edgegate.gateway.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.gateway.journal.Checkpoint;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * {@code trace --json}: one object. By id: the event's fields with {@code journal} and {@code
 * kafka} beside them; by device: {@code device}, the bounds, {@code journal}, {@code kafka} and
 * {@code events} (oldest first). Absent values are null; fates are lower case ({@code forwarded},
 * {@code dead_lettered}, {@code backlog}, {@code acknowledged}, {@code aged_out}, {@code
 * not_found}). Journal indexes appear in decimal and as {@code 0x} hex, as the commands print them.
 * The CLI's {@code trace --json} and the admin console's {@code /api/trace} print this form.
 */
public final class TraceJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TraceJson() {}

  public static String byId(TraceReport report) {
    ObjectNode n = MAPPER.createObjectNode();
    event(n, report.events().get(0));
    journal(n.putObject("journal"), report.journal());
    kafka(n.putObject("kafka"), report.kafka());
    return write(n);
  }

  public static String byDevice(
      TraceReport report, String device, Instant since, Instant until, int last) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("device", device);
    n.put("since", instant(since));
    n.put("until", instant(until));
    n.put("last", last);
    journal(n.putObject("journal"), report.journal());
    kafka(n.putObject("kafka"), report.kafka());
    var events = n.putArray("events");
    for (TraceResult r : report.events()) {
      event(events.addObject(), r);
    }
    return write(n);
  }

  private static void event(ObjectNode n, TraceResult r) {
    n.put("eventId", r.eventId().toString());
    n.put("fate", r.fate().name().toLowerCase(java.util.Locale.ROOT));
    n.put("idTime", instant(r.idTime()));
    TraceResult.Journaled e = r.entry();
    if (e == null) {
      n.putNull("entry");
    } else {
      n.putObject("entry")
          .put("index", e.index())
          .put("indexHex", hex(e.index()))
          .put("device", e.device())
          .put("topic", e.topic())
          .put("qos", e.qos())
          .put("receivedAt", e.receivedAt().toString())
          .put("expiresAt", instant(e.expiresAt()))
          .put("afterCheckpoint", e.afterCheckpoint());
    }
    n.put("backlogPosition", r.backlogPosition() > 0 ? r.backlogPosition() : null);
    n.put("routedTopic", r.routedTopic());
    TraceResult.KafkaRecord k = r.record();
    if (k == null) {
      n.putNull("record");
    } else {
      n.putObject("record")
          .put("topic", k.topic())
          .put("partition", k.partition())
          .put("offset", k.offset())
          .put("timestamp", k.timestamp().toString())
          .put("timestampType", k.timestampType())
          .put("deadLetterReason", k.deadLetterReason())
          .put("deadLetterError", k.deadLetterError());
    }
    n.put("copies", r.copies());
  }

  private static void journal(ObjectNode n, JournalView j) {
    n.put("dir", j.dir());
    index(n, "firstIndex", j.firstIndex() < 0 ? null : j.firstIndex());
    index(n, "headIndex", j.headIndex() < 0 ? null : j.headIndex());
    n.put("oldestReceivedAt", instant(j.oldest()));
    n.put("newestReceivedAt", instant(j.newest()));
    index(n, "checkpointIndex", j.checkpoint() == Checkpoint.NONE ? null : j.checkpoint());
    n.put("backlog", j.backlog());
  }

  private static void kafka(ObjectNode n, KafkaAnswer k) {
    n.put("status", k.status().name().toLowerCase(java.util.Locale.ROOT));
    n.put("problem", k.problem());
    var topics = n.putArray("topics");
    k.topics().forEach(topics::add);
    n.put("recordsScanned", k.recordsScanned());
    n.put("complete", k.complete());
  }

  private static void index(ObjectNode n, String name, Long index) {
    n.put(name, index);
    n.put(name + "Hex", index == null ? null : hex(index));
  }

  /** An index as the commands print it (see the CLI's journal index option). */
  private static String hex(long index) {
    return "0x" + Long.toHexString(index);
  }

  private static String instant(Instant t) {
    return t == null ? null : t.toString();
  }

  private static String write(ObjectNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of strings and numbers always serialises
    }
  }
}
