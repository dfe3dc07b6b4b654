package io.edgegate.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.config.JournalConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The journal on a real Chronicle Queue in a temporary directory. */
class JournalTest {
  private final Vertx vertx = Vertx.vertx();
  private final EventIds ids = new EventIds(Clock.systemUTC());
  @TempDir Path dir;

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  @ParameterizedTest
  @EnumSource(JournalConfig.Sync.class)
  void appendsCompleteOnTheCallersContextInOrderAndReadBackIdentical(JournalConfig.Sync sync)
      throws Exception {
    JournalConfig config = new JournalConfig();
    config.sync = sync;
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
      List<JournalEvent> sent = events(500);
      List<Long> indexes = appendAll(journal, sent);
      assertThat(indexes).isSorted().doesNotHaveDuplicates().hasSize(500);
      assertThat(journal.writer().pendingBytes()).isZero();

      List<JournalEntry> read = readAll(journal, 500);
      for (int i = 0; i < sent.size(); i++) {
        JournalEvent got = (JournalEvent) read.get(i);
        JournalEvent want = sent.get(i);
        assertThat(got.index()).isEqualTo(indexes.get(i));
        assertThat(got.eventId()).isEqualTo(want.eventId());
        assertThat(got.clientId()).isEqualTo(want.clientId());
        assertThat(got.topic()).isEqualTo(want.topic());
        assertThat(got.qos()).isEqualTo(want.qos());
        assertThat(got.contentType()).isEqualTo(want.contentType());
        assertThat(got.userProperties()).isEqualTo(want.userProperties());
        assertThat(got.expiresAtMillis()).isEqualTo(want.expiresAtMillis());
        assertThat(got.responseTopic()).isEqualTo(want.responseTopic());
        assertThat(got.correlationData()).isEqualTo(want.correlationData());
        assertThat(got.payloadFormat()).isEqualTo(want.payloadFormat());
        assertThat(got.payload()).isEqualTo(want.payload());
      }
    }
  }

  @Test
  void appendedEventsStayCountedUntilTheirCompletionRunsOnTheCallersEventLoop() throws Exception {
    JournalConfig config = new JournalConfig();
    config.sync = JournalConfig.Sync.NONE;
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
      Context context = vertx.getOrCreateContext();
      List<Future<Long>> appends = new CopyOnWriteArrayList<>();
      CompletableFuture<Long> pendingWhileBusy = new CompletableFuture<>();
      context.runOnContext(
          v -> {
            for (JournalEvent e : events(100)) {
              appends.add(journal.writer().append(e));
            }
            // The loop stays busy until the writer has appended them all: their completions
            // wait in its queue, and so does their memory.
            await().atMost(Duration.ofSeconds(1)).until(() -> journal.backlog() == 100);
            pendingWhileBusy.complete(journal.writer().pendingBytes());
          });
      assertThat(pendingWhileBusy.get(5, TimeUnit.SECONDS)).isPositive();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> appends.size() == 100 && appends.stream().allMatch(Future::succeeded));
      assertThat(journal.writer().pendingBytes()).isZero();
    }
  }

  @Test
  void readerResumesAfterTheCheckpointWhenReopened() throws Exception {
    JournalConfig config = new JournalConfig();
    List<Long> indexes;
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
      indexes = appendAll(journal, events(100));
      journal.checkpoint().advance(indexes.get(59));
    }
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
      assertThat(journal.checkpoint().index()).isEqualTo(indexes.get(59));
      assertThat(journal.backlog()).isEqualTo(40);
      List<JournalEntry> read = readAll(journal, 40);
      assertThat(read.get(0).index()).isEqualTo(indexes.get(60));
      assertThat(read.get(39).index()).isEqualTo(indexes.get(99));
    }
  }

  @Test
  void aDamagedEntryIsReportedAndSkippedNotFatal() throws Exception {
    try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).build();
        ExcerptAppender a = q.createAppender()) {
      try (DocumentContext dc = a.writingDocument()) {
        dc.wire().bytes().writeByte((byte) 99).writeLong(42); // unknown format, truncated
      }
    }
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE)) {
      appendAll(journal, events(3));
      List<JournalEntry> read = readAll(journal, 4);
      assertThat(read.get(0)).isInstanceOf(DamagedEntry.class);
      assertThat(((DamagedEntry) read.get(0)).problem()).contains("unknown entry format 99");
      assertThat(read.subList(1, 4)).allMatch(e -> e instanceof JournalEvent);
    }
  }

  @Test
  void appendOutsideAVertxContextIsAProgrammingError() throws Exception {
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE)) {
      org.junit.jupiter.api.Assertions.assertThrows(
          IllegalStateException.class, () -> journal.writer().append(events(1).get(0)));
    }
  }

  private List<JournalEvent> events(int n) {
    List<JournalEvent> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(
          new JournalEvent(
              JournalEvent.UNAPPENDED,
              ids.next(),
              System.currentTimeMillis(),
              i % 3,
              "dev-" + (i % 7),
              "devices/dev-" + (i % 7) + "/telemetry",
              i % 2 == 0 ? "application/json" : null,
              i % 5 == 0 ? List.of(new JournalEvent.UserProperty("k", "v" + i)) : List.of(),
              i % 4 == 0 ? System.currentTimeMillis() + 60_000 : JournalEvent.NEVER,
              i % 3 == 0 ? "replies/dev-" + (i % 7) : null,
              i % 6 == 0 ? new byte[] {(byte) i, 1} : null,
              i % 2,
              ("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
    }
    return list;
  }

  /** Appends from one event loop and checks each completion runs back on it. */
  private List<Long> appendAll(Journal journal, List<JournalEvent> events) throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<List<Long>> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          List<Future<Long>> futures = new ArrayList<>();
          for (JournalEvent e : events) {
            futures.add(
                journal
                    .writer()
                    .append(e)
                    .map(
                        index -> {
                          if (Vertx.currentContext() != context) {
                            throw new AssertionError("completed on the wrong context");
                          }
                          return index;
                        }));
          }
          Future.all(futures)
              .onSuccess(cf -> done.complete(cf.<Long>list()))
              .onFailure(done::completeExceptionally);
        });
    return done.get(30, TimeUnit.SECONDS);
  }

  private List<JournalEntry> readAll(Journal journal, int expected) {
    List<JournalEntry> got = new CopyOnWriteArrayList<>();
    Context context = vertx.getOrCreateContext();
    JournalReader reader = journal.startReader(context, got::addAll);
    reader.request(expected + 10);
    await().atMost(Duration.ofSeconds(30)).until(() -> got.size() >= expected);
    assertThat(got).hasSize(expected);
    return got;
  }
}
