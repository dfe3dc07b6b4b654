package io.edgegate.gateway.cli;

import io.edgegate.gateway.journal.Checkpoint;
import io.edgegate.gateway.trace.Fate;
import io.edgegate.gateway.trace.JournalView;
import io.edgegate.gateway.trace.KafkaAnswer;
import io.edgegate.gateway.trace.TraceReport;
import io.edgegate.gateway.trace.TraceResult;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code trace}: the answer for a person. Says only what the journal and Kafka show: an event the
 * journal does not hold may have aged out or never have come, and the text says which the times
 * allow.
 */
final class TraceText {
  private static final String ROW = "%-10s %s%n";

  private TraceText() {}

  static String byId(TraceReport report) {
    TraceResult r = report.events().get(0);
    StringBuilder b = new StringBuilder();
    row(b, "Event", r.eventId() + ": " + headline(r.fate()));
    TraceResult.Journaled e = r.entry();
    JournalView j = report.journal();
    if (e != null) {
      row(
          b,
          "Received",
          e.receivedAt()
              + " from device "
              + e.device()
              + " on "
              + e.topic()
              + ", QoS "
              + e.qos()
              + (e.expiresAt() == null ? "" : ", expires " + e.expiresAt()));
      row(b, "Journal", "index " + index(e.index()) + "; " + checkpointSays(r, j));
    } else {
      row(b, "Journal", absence(r, j));
    }
    if (r.routedTopic() != null) {
      row(b, "Route", r.routedTopic() + " (the pipeline's routing as configured now)");
    }
    for (String line : kafka(r, report.kafka())) {
      row(b, "Kafka", line);
    }
    return trim(b);
  }

  static String byDevice(
      TraceReport report, String device, Instant since, Instant until, int last) {
    StringBuilder b = new StringBuilder();
    List<TraceResult> events = report.events();
    b.append(
        String.format(
            Locale.ROOT,
            "Device %s: %s%s%s%n",
            device,
            events.isEmpty()
                ? "no events"
                : events.size() == last
                    ? "the last " + last + " events"
                    : events.size() + " event(s), all there are",
            since == null ? "" : " since " + since,
            until == null ? "" : " until " + until));
    JournalView j = report.journal();
    b.append("Journal: ").append(holds(j)).append("; checkpoint ").append(checkpoint(j));
    b.append(System.lineSeparator());
    b.append("Kafka: ").append(kafkaSummary(report.kafka())).append(System.lineSeparator());
    if (!events.isEmpty()) {
      String format = "%-18s  %-24s  %-36s  %-13s  %s%n";
      b.append(
          String.format(Locale.ROOT, format, "INDEX", "RECEIVED", "EVENT ID", "FATE", "WHERE"));
      for (TraceResult r : events) {
        b.append(
            String.format(
                Locale.ROOT,
                format,
                index(r.entry().index()),
                r.entry().receivedAt(),
                r.eventId(),
                r.fate().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                where(r)));
      }
    }
    return trim(b);
  }

  static String headline(Fate fate) {
    return switch (fate) {
      case FORWARDED -> "forwarded to Kafka";
      case DEAD_LETTERED -> "dead-lettered";
      case BACKLOG -> "in the backlog, not yet forwarded";
      case ACKNOWLEDGED -> "acknowledged by Kafka, but no record of it was found";
      case AGED_OUT -> "not in the journal: aged out of its retention, or never received";
      case NOT_FOUND -> "not found";
    };
  }

  /** What the journal says of an event it holds, relative to the checkpoint. */
  static String checkpointSays(TraceResult r, JournalView j) {
    if (!r.entry().afterCheckpoint()) {
      return "the checkpoint (" + index(j.checkpoint()) + ") has passed it";
    }
    String place =
        r.backlogPosition() > 0
            ? ordinal(r.backlogPosition())
                + " of "
                + String.format(Locale.ROOT, "%,d", j.backlog())
                + " entries after the checkpoint ("
                + String.format(Locale.ROOT, "%,d", r.backlogPosition() - 1)
                + " to go before it)"
            : "after the checkpoint";
    return place + ", checkpoint " + checkpoint(j);
  }

  /**
   * What can honestly be said of an id the journal does not hold, from the time in the id and the
   * range of receive times the journal holds.
   */
  static String absence(TraceResult r, JournalView j) {
    if (j.empty()) {
      return "empty: it holds no events, so it cannot tell whether this one was ever received";
    }
    String holds = "no entry with this id; the journal holds " + holds(j);
    Instant t = r.idTime();
    if (t == null) {
      return holds
          + ". The id is not one of the gateway's time-ordered ids: if it was received before "
          + j.oldest()
          + ", it has aged out";
    }
    if (t.isBefore(j.oldest())) {
      return holds
          + ". The id was made at "
          + t
          + ", before the oldest entry: if this gateway received it, it has aged out (a journal"
          + " file is deleted only once every event in it was forwarded and journal.retention"
          + " has passed)";
    }
    if (j.newest() != null && t.isAfter(j.newest())) {
      return holds + ". The id was made at " + t + ", after the newest entry: not received (yet)";
    }
    return holds
        + ". The id was made at "
        + t
        + ", within that range: this gateway did not journal it (refused, never sent, or another"
        + " gateway's)";
  }

  private static List<String> kafka(TraceResult r, KafkaAnswer k) {
    TraceResult.KafkaRecord rec = r.record();
    if (rec != null) {
      String at =
          rec.topic()
              + ", partition "
              + rec.partition()
              + ", offset "
              + rec.offset()
              + ", timestamp "
              + rec.timestamp()
              + " ("
              + rec.timestampType()
              + ")"
              + (r.copies() > 1 ? "; " + r.copies() + " copies found (same ce_id)" : "");
      if (rec.deadLetterReason() != null) {
        return List.of(
            "dead-lettered to " + at,
            "reason " + rec.deadLetterReason() + ": " + rec.deadLetterError());
      }
      return List.of(at);
    }
    return switch (k.status()) {
      case NOT_ASKED -> List.of("not asked: " + k.problem());
      case UNREACHABLE ->
          List.of(
              "could not be asked: " + k.problem(), "the journal's answer above is all there is");
      case ASKED -> notFound(r, k);
    };
  }

  private static List<String> notFound(TraceResult r, KafkaAnswer k) {
    String searched =
        k.topics().isEmpty()
            ? "nowhere to look (the id carries no time)"
            : "not in "
                + String.join(", ", k.topics())
                + " ("
                + String.format(Locale.ROOT, "%,d", k.recordsScanned())
                + " records read from the event's time on)";
    String bound = k.problem() == null ? "" : "; " + k.problem();
    if (r.fate() == Fate.ACKNOWLEDGED) {
      return List.of(
          searched + bound,
          "possible reasons: beyond the search (forwarded long after it was received), deleted by"
              + " the topic's retention, expired before its turn (MQTT message expiry), dropped as"
              + " a repeat (pipeline.duplicates), or a dead-letter send Kafka refused too");
    }
    return List.of(searched + bound);
  }

  private static String where(TraceResult r) {
    TraceResult.KafkaRecord rec = r.record();
    if (rec != null) {
      return rec.topic()
          + "/"
          + rec.partition()
          + "@"
          + rec.offset()
          + (rec.deadLetterReason() == null ? "" : " " + rec.deadLetterReason());
    }
    if (r.fate() == Fate.BACKLOG) {
      return r.backlogPosition() > 0
          ? ordinal(r.backlogPosition()) + " after the checkpoint"
          : "after the checkpoint";
    }
    return "checkpoint passed, no record found";
  }

  private static String kafkaSummary(KafkaAnswer k) {
    return switch (k.status()) {
      case NOT_ASKED -> "not asked: " + k.problem();
      case UNREACHABLE -> "could not be asked: " + k.problem();
      case ASKED ->
          "searched "
              + (k.topics().isEmpty() ? "nothing" : String.join(", ", k.topics()))
              + ", "
              + String.format(Locale.ROOT, "%,d", k.recordsScanned())
              + " records read"
              + (k.problem() == null ? "" : "; " + k.problem());
    };
  }

  private static String holds(JournalView j) {
    if (j.empty()) {
      return "no entries";
    }
    return "entries "
        + index(j.firstIndex())
        + " to "
        + index(j.headIndex())
        + ", received from "
        + j.oldest()
        + " to "
        + j.newest();
  }

  private static String checkpoint(JournalView j) {
    return j.checkpoint() == Checkpoint.NONE
        ? "none (nothing forwarded yet)"
        : index(j.checkpoint());
  }

  private static String index(long i) {
    return JournalIndexes.hex(i);
  }

  static String ordinal(long n) {
    long mod100 = n % 100;
    String suffix =
        mod100 >= 11 && mod100 <= 13
            ? "th"
            : switch ((int) (n % 10)) {
              case 1 -> "st";
              case 2 -> "nd";
              case 3 -> "rd";
              default -> "th";
            };
    return String.format(Locale.ROOT, "%,d", n) + suffix;
  }

  private static void row(StringBuilder b, String label, String value) {
    b.append(String.format(Locale.ROOT, ROW, label, value));
  }

  private static String trim(StringBuilder b) {
    b.setLength(b.length() - System.lineSeparator().length());
    return b.toString();
  }
}
