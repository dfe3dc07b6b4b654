package io.edgegate.gateway.trace;

import io.edgegate.gateway.journal.Checkpoint;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalInspector;
import io.edgegate.gateway.journal.JournalPositions;
import io.edgegate.gateway.journal.JournalUnreadableException;
import io.edgegate.gateway.thread.Confinement;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * "Where is my event?": answers from the journal (was it received, where is it, has the checkpoint
 * passed it) and from Kafka (the record it became, in its topic or the dead-letter topic).
 *
 * <p>Read-only tooling beside the gateway, with no cost on its path: the journal is read through a
 * {@link JournalInspector} (Chronicle's read-only mode, the checkpoint only peeked at) and Kafka
 * through a group-less consumer ({@link KafkaLookup}). Costs: finding an id reads the journal from
 * the file of the id's time to the head (the whole retained journal for ids that are not time
 * ordered), streamed; a trace by device reads it from {@code since}; Kafka is asked once per trace,
 * for every event at once.
 *
 * <p><b>Not thread-safe</b>: the thread that owns the inspector calls it (blocking file and network
 * work, never an event loop).
 */
public final class EventTrace {
  private final Confinement.Owner owner = Confinement.firstCaller();
  private final JournalInspector journal;
  private final Routing routing;
  private final KafkaLookup kafka;
  private final JournalSearch search;

  /**
   * @param routing the pipeline's routing, or null when there is no configuration (then Kafka is
   *     not asked either)
   * @param kafka where to look for records, or null to answer from the journal alone
   * @param skew how far clocks may disagree: the journal and Kafka are searched from the event's
   *     time minus this
   */
  public EventTrace(JournalInspector journal, Routing routing, KafkaLookup kafka, Duration skew) {
    this.journal = journal;
    this.routing = routing;
    this.kafka = routing == null ? null : kafka;
    this.search = new JournalSearch(journal, skew);
  }

  /** The fate of event {@code id}. */
  public TraceReport byId(UUID id) throws IOException {
    assert owner.check();
    JournalView view = JournalView.of(journal.summarize());
    JournalEvent event = search.byId(id, view.headIndex());
    Instant idTime = idTime(id);
    Found found;
    if (event != null) {
      found = new Found(id, event, topicsOf(event));
    } else {
      // Not journaled (any more): look for it where any event could be, from its id's time.
      found =
          new Found(id, null, routing == null ? List.of() : routing.knownTopics(), null, idTime);
    }
    return report(view, List.of(found));
  }

  /**
   * The last {@code last} events of {@code device} received between {@code since} and {@code until}
   * (either may be null: no bound), and the fate of each.
   */
  public TraceReport byDevice(String device, Instant since, Instant until, int last)
      throws IOException {
    assert owner.check();
    JournalView view = JournalView.of(journal.summarize());
    List<JournalEvent> events =
        search.byDevice(
            device,
            since == null ? null : since.toEpochMilli(),
            until == null ? null : until.toEpochMilli(),
            last,
            view.headIndex());
    List<Found> found = new ArrayList<>();
    for (JournalEvent e : events) {
      found.add(new Found(e.eventId(), e, topicsOf(e)));
    }
    return report(view, found);
  }

  /** An event asked about: its entry (or null), where to look for it in Kafka, and since when. */
  private record Found(
      UUID id, JournalEvent event, List<String> topics, String routedTopic, Instant since) {
    Found(UUID id, JournalEvent event, Topics topics) {
      this(id, event, topics.searched(), topics.routed(), null);
    }

    Long sinceMillis() {
      if (event != null) {
        return event.receivedAtMillis();
      }
      return since == null ? null : since.toEpochMilli();
    }
  }

  private record Topics(List<String> searched, String routed) {}

  private Topics topicsOf(JournalEvent e) {
    if (routing == null) {
      return new Topics(List.of(), null);
    }
    String routed = routing.topicOf(e);
    Set<String> topics = new LinkedHashSet<>();
    if (routed != null) {
      topics.add(routed);
    }
    // Records Kafka refuses for good (too large, not authorised) are dead-lettered by the
    // forwarder, whatever the route.
    topics.add(routing.deadLetterTopic());
    return new Topics(List.copyOf(topics), routed);
  }

  private TraceReport report(JournalView view, List<Found> found) {
    KafkaLookup.Result records = null;
    KafkaAnswer answer;
    if (kafka == null) {
      answer =
          KafkaAnswer.notAsked(
              routing == null ? "no configuration: the journal alone answers" : "not asked");
    } else {
      List<KafkaLookup.Wanted> wanted = new ArrayList<>();
      for (Found f : found) {
        if (f.sinceMillis() != null && !f.topics().isEmpty()) {
          wanted.add(new KafkaLookup.Wanted(f.id(), f.sinceMillis(), f.topics()));
        }
      }
      if (wanted.isEmpty()) {
        answer =
            KafkaAnswer.notAsked(
                found.isEmpty()
                    ? "no events to look for"
                    : "the id carries no time to search Kafka from");
      } else {
        records = kafka.find(wanted);
        answer = records.answer();
      }
    }
    List<TraceResult> results = new ArrayList<>();
    for (Found f : found) {
      results.add(result(view, f, records == null ? List.of() : records.of(f.id())));
    }
    return new TraceReport(view, answer, results);
  }

  private TraceResult result(JournalView view, Found f, List<TraceResult.KafkaRecord> records) {
    TraceResult.KafkaRecord record = pick(records, f.routedTopic());
    TraceResult.Journaled entry = null;
    long position = 0;
    if (f.event() != null) {
      JournalEvent e = f.event();
      boolean after = view.checkpoint() == Checkpoint.NONE || e.index() > view.checkpoint();
      entry =
          new TraceResult.Journaled(
              e.index(),
              e.clientId(),
              e.topic(),
              e.qos(),
              Instant.ofEpochMilli(e.receivedAtMillis()),
              e.expiresAtMillis() == JournalEvent.NEVER
                  ? null
                  : Instant.ofEpochMilli(e.expiresAtMillis()),
              after);
      if (after) {
        position = backlogPosition(view.checkpoint(), e.index());
      }
    }
    Instant idTime = idTime(f.id());
    return new TraceResult(
        f.id(),
        fate(view, entry, idTime, record),
        entry,
        idTime,
        position,
        f.routedTopic(),
        record,
        records.size());
  }

  /**
   * The fate that follows from what was found. A record decides (its dead-letter reason header
   * tells the two apart); without one the journal does: the checkpoint passed it or not; not
   * journaled, its id's time says whether the journal still covers when it would have come.
   */
  static Fate fate(
      JournalView view,
      TraceResult.Journaled entry,
      Instant idTime,
      TraceResult.KafkaRecord record) {
    if (record != null) {
      return record.deadLetterReason() != null ? Fate.DEAD_LETTERED : Fate.FORWARDED;
    }
    if (entry != null) {
      return entry.afterCheckpoint() ? Fate.BACKLOG : Fate.ACKNOWLEDGED;
    }
    if (idTime != null && view.oldest() != null && idTime.isBefore(view.oldest())) {
      return Fate.AGED_OUT;
    }
    return Fate.NOT_FOUND;
  }

  /** The record in the routed topic if there is one, else the first (a dead letter). */
  private static TraceResult.KafkaRecord pick(
      List<TraceResult.KafkaRecord> records, String routedTopic) {
    for (TraceResult.KafkaRecord r : records) {
      if (r.topic().equals(routedTopic) && r.deadLetterReason() == null) {
        return r;
      }
    }
    return records.isEmpty() ? null : records.get(0);
  }

  /** Its place after the checkpoint (1: next), or -1 when damage defeats the count. */
  private long backlogPosition(long checkpoint, long index) {
    try {
      return JournalPositions.entriesBetween(journal, checkpoint, index);
    } catch (JournalUnreadableException e) {
      return -1;
    }
  }

  private static Instant idTime(UUID id) {
    Long millis = EventTimes.of(id);
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }
}
