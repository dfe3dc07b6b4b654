package io.edgegate.gateway.trace;

import static io.edgegate.gateway.journal.TestJournals.appendAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.Journal;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalInspector;
import io.edgegate.gateway.journal.JournalStats;
import io.edgegate.gateway.journal.TestJournals;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal side of a trace, on a real journal (Kafka is not asked here: see TraceIT). */
class EventTraceTest {
  private static final Duration SKEW = Duration.ofSeconds(10);
  private final Vertx vertx = Vertx.vertx();
  @TempDir Path dir;

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  /** {@code n} events received now, one millisecond apart, alternating dev-a and dev-b. */
  private static List<JournalEvent> events(int n, long receivedAt) {
    List<JournalEvent> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(
          TestJournals.event(
              i % 2 == 0 ? "dev-a" : "dev-b",
              receivedAt + i,
              null,
              List.of(),
              ("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
    }
    return list;
  }

  @Test
  void anEventAfterTheCheckpointIsInTheBacklogWithItsPlaceAndOneBeforeItWasAcknowledged()
      throws Exception {
    long now = System.currentTimeMillis();
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE)) {
      List<JournalEvent> written = events(30, now);
      List<Long> indexes = appendAll(vertx, journal, written);
      journal.checkpoint().advance(indexes.get(19));

      try (JournalInspector inspector = JournalInspector.open(dir, null)) {
        EventTrace trace = new EventTrace(inspector, null, null, SKEW);
        TraceReport waiting = trace.byId(written.get(25).eventId());
        TraceResult r = waiting.events().get(0);
        assertThat(r.fate()).isEqualTo(Fate.BACKLOG);
        assertThat(r.entry().index()).isEqualTo(indexes.get(25));
        assertThat(r.entry().device()).isEqualTo("dev-b");
        assertThat(r.entry().topic()).isEqualTo("devices/dev-b/telemetry");
        assertThat(r.entry().qos()).isEqualTo(1);
        assertThat(r.entry().receivedAt()).isEqualTo(Instant.ofEpochMilli(now + 25));
        assertThat(r.backlogPosition()).as("entries 20 to 25 follow the checkpoint").isEqualTo(6);
        assertThat(waiting.journal().backlog()).isEqualTo(10);
        assertThat(waiting.kafka().status()).isEqualTo(KafkaAnswer.Status.NOT_ASKED);

        TraceResult passed = trace.byId(written.get(5).eventId()).events().get(0);
        assertThat(passed.fate()).isEqualTo(Fate.ACKNOWLEDGED);
        assertThat(passed.entry().afterCheckpoint()).isFalse();
        assertThat(passed.backlogPosition()).isZero();
      }
    }
  }

  @Test
  void withNoCheckpointEveryEntryCountsFromTheOldest() throws Exception {
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE)) {
      List<JournalEvent> written = events(5, System.currentTimeMillis());
      appendAll(vertx, journal, written);
      try (JournalInspector inspector = JournalInspector.open(dir, null)) {
        TraceResult r =
            new EventTrace(inspector, null, null, SKEW)
                .byId(written.get(0).eventId())
                .events()
                .get(0);
        assertThat(r.fate()).isEqualTo(Fate.BACKLOG);
        assertThat(r.backlogPosition()).isEqualTo(1);
      }
    }
  }

  @Test
  void anIdTheJournalDoesNotHoldIsAgedOutOnlyIfItsTimeIsBeforeTheOldestEntry() throws Exception {
    long now = System.currentTimeMillis();
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE)) {
      appendAll(vertx, journal, events(3, now));
      try (JournalInspector inspector = JournalInspector.open(dir, null)) {
        EventTrace trace = new EventTrace(inspector, null, null, SKEW);
        UUID dayOld = idAt(now - Duration.ofDays(1).toMillis());
        UUID meanwhile = idAt(now + 1);
        UUID later = idAt(now + Duration.ofHours(1).toMillis());
        UUID untimed = UUID.randomUUID(); // version 4: no time in it

        TraceReport aged = trace.byId(dayOld);
        assertThat(aged.events().get(0).fate()).isEqualTo(Fate.AGED_OUT);
        assertThat(aged.events().get(0).entry()).isNull();
        assertThat(aged.events().get(0).idTime())
            .isEqualTo(Instant.ofEpochMilli(now - Duration.ofDays(1).toMillis()));
        assertThat(trace.byId(meanwhile).events().get(0).fate()).isEqualTo(Fate.NOT_FOUND);
        assertThat(trace.byId(later).events().get(0).fate()).isEqualTo(Fate.NOT_FOUND);
        TraceReport noTime = trace.byId(untimed);
        assertThat(noTime.events().get(0).fate()).isEqualTo(Fate.NOT_FOUND);
        assertThat(noTime.events().get(0).idTime()).isNull();
      }
    }
  }

  @Test
  void anEmptyJournalFindsNothing() throws Exception {
    Journal.open(dir, new JournalConfig(), JournalStats.NONE).close();
    try (JournalInspector inspector = JournalInspector.open(dir, null)) {
      TraceReport r = new EventTrace(inspector, null, null, SKEW).byId(UUID.randomUUID());
      assertThat(r.events().get(0).fate()).isEqualTo(Fate.NOT_FOUND);
      assertThat(r.journal().empty()).isTrue();
    }
  }

  @Test
  void byDeviceKeepsTheLastNOfThatDeviceWithinTheTimesOldestFirst() throws Exception {
    long now = System.currentTimeMillis();
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE)) {
      List<JournalEvent> written = events(40, now);
      appendAll(vertx, journal, written);
      try (JournalInspector inspector = JournalInspector.open(dir, null)) {
        EventTrace trace = new EventTrace(inspector, null, null, SKEW);
        List<TraceResult> last3 = trace.byDevice("dev-a", null, null, 3).events();
        assertThat(last3)
            .extracting(TraceResult::eventId)
            .containsExactly(
                written.get(34).eventId(), written.get(36).eventId(), written.get(38).eventId());

        List<TraceResult> window =
            trace
                .byDevice(
                    "dev-b", Instant.ofEpochMilli(now + 10), Instant.ofEpochMilli(now + 15), 100)
                .events();
        assertThat(window)
            .extracting(r -> r.entry().receivedAt().toEpochMilli() - now)
            .containsExactly(11L, 13L, 15L);
        assertThat(trace.byDevice("dev-x", null, null, 5).events()).isEmpty();
      }
    }
  }

  @Test
  void aRecordDecidesTheFateAndItsDeadLetterReasonTellsTheTwoApart() {
    JournalView view = new JournalView("j", 0, 9, Instant.EPOCH, Instant.EPOCH, 9, 0);
    TraceResult.Journaled waiting =
        new TraceResult.Journaled(5, "d", "t", 1, Instant.EPOCH, null, true);
    TraceResult.KafkaRecord forwarded =
        new TraceResult.KafkaRecord("events", 0, 1, Instant.EPOCH, "CreateTime", null, null);
    TraceResult.KafkaRecord dead =
        new TraceResult.KafkaRecord("dlq", 0, 1, Instant.EPOCH, "CreateTime", "too-large", "x");
    // In Kafka although the checkpoint has not passed it yet: the acknowledgement is in flight.
    assertThat(EventTrace.fate(view, waiting, null, forwarded)).isEqualTo(Fate.FORWARDED);
    assertThat(EventTrace.fate(view, waiting, null, dead)).isEqualTo(Fate.DEAD_LETTERED);
    assertThat(EventTrace.fate(view, null, Instant.EPOCH.minusMillis(1), forwarded))
        .as("aged out of the journal, still in Kafka")
        .isEqualTo(Fate.FORWARDED);
  }

  private static UUID idAt(long millis) {
    return new EventIds(Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC)).next();
  }
}
