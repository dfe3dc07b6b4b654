package io.edgegate.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.config.JournalConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention and disk limits on a real journal, with time moved by the test. */
class JournalHousekeepingTest {
  private static final long FIVE_MINUTES = TimeUnit.MINUTES.toMillis(5);
  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong now =
      new AtomicLong(System.currentTimeMillis() / FIVE_MINUTES * FIVE_MINUTES);
  @TempDir Path dir;

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  private JournalConfig config(Duration retention) {
    JournalConfig c = new JournalConfig();
    c.roll = JournalConfig.Roll.FIVE_MINUTELY;
    c.retention = retention;
    c.housekeepingInterval = Duration.ofMillis(100);
    return c;
  }

  @Test
  void aFileGoesOnlyWhenAllItsEventsAreForwardedAndOlderThanRetention() throws Exception {
    try (Journal journal =
        Journal.open(dir, config(Duration.ofMinutes(30)), JournalStats.NONE, now::get)) {
      List<Long> first = append(journal, 10); // file 1
      now.addAndGet(FIVE_MINUTES);
      List<Long> second = append(journal, 10); // file 2
      now.addAndGet(FIVE_MINUTES);
      append(journal, 10); // file 3: the writer's current file
      assertThat(files()).isEqualTo(3);

      // Everything of file 1 and half of file 2 forwarded, but younger than the retention: kept.
      journal.checkpoint().advance(second.get(4));
      assertThat(stillThereAfterRounds(journal)).isEqualTo(3);

      // Past the retention: file 1 goes; file 2 stays (not all of it is forwarded).
      now.addAndGet(TimeUnit.MINUTES.toMillis(40));
      await().atMost(Duration.ofSeconds(10)).until(() -> files() == 2);
      journal.checkpoint().advance(second.get(9));
      await().atMost(Duration.ofSeconds(10)).until(() -> files() == 1);
      assertThat(first).isNotEmpty();
    }
  }

  @Test
  void atTheDiskLimitTheWriterRefusesAndUnforwardedFilesAreKept() throws Exception {
    JournalConfig c = config(Duration.ofDays(1));
    c.maxBytes = 1024 * 1024;
    try (Journal journal = Journal.open(dir, c, JournalStats.NONE, now::get)) {
      append(journal, 1500, 1024); // about 1.5 MiB, nothing forwarded
      await().atMost(Duration.ofSeconds(10)).until(() -> journal.writer().refusing() != null);
      assertThat(journal.writer().refusing()).contains("journal.maxBytes");
      assertThat(journal.writer().overHighWatermark()).isTrue();
      assertThat(files()).isEqualTo(1);

      // Forwarded, and the writer has moved on to a new period: deleted early despite the
      // retention of a day, and the writer takes events again.
      journal.checkpoint().advance(journal.lastIndex());
      now.addAndGet(FIVE_MINUTES);
      await().atMost(Duration.ofSeconds(10)).until(() -> journal.writer().refusing() == null);
      assertThat(files()).isZero();
      assertThat(append(journal, 5)).hasSize(5);
    }
  }

  /** The files left after two more complete housekeeping rounds. */
  private long stillThereAfterRounds(Journal journal) throws Exception {
    long from = journal.housekeepingRounds();
    await().atMost(Duration.ofSeconds(10)).until(() -> journal.housekeepingRounds() >= from + 2);
    return files();
  }

  private long files() throws Exception {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".cq4")).count();
    }
  }

  private List<Long> append(Journal journal, int n) throws Exception {
    return append(journal, n, 10);
  }

  private List<Long> append(Journal journal, int n, int size) throws Exception {
    CompletableFuture<List<Long>> done = new CompletableFuture<>();
    EventIds ids = new EventIds(Clock.systemUTC());
    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              List<Future<Long>> fs = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                fs.add(
                    journal
                        .writer()
                        .append(
                            new JournalEvent(
                                JournalEvent.UNAPPENDED,
                                ids.next(),
                                now.get(),
                                1,
                                "d",
                                "t",
                                null,
                                List.of(),
                                "x".repeat(size).getBytes(StandardCharsets.UTF_8))));
              }
              Future.all(fs)
                  .onSuccess(cf -> done.complete(cf.<Long>list()))
                  .onFailure(done::completeExceptionally);
            });
    return done.get(30, TimeUnit.SECONDS);
  }

  @Test
  void dailyFilesAreDeletedToo() throws Exception {
    JournalConfig c = config(Duration.ZERO);
    c.roll = JournalConfig.Roll.DAILY;
    long day = TimeUnit.DAYS.toMillis(1);
    now.set(now.get() / day * day);
    try (Journal journal = Journal.open(dir, c, JournalStats.NONE, now::get)) {
      List<Long> first = append(journal, 5);
      now.addAndGet(day);
      append(journal, 5);
      assertThat(files()).isEqualTo(2);
      journal.checkpoint().advance(first.get(4));
      await().atMost(Duration.ofSeconds(10)).until(() -> files() == 1);
    }
  }

  /**
   * All of the reader's file is forwarded and the writer's period moved on, but no entry of the
   * next period is written yet: the file stays while the reader is in it (deleting it makes
   * Chronicle log an ERROR that reports no fault), and goes once the reader moved on.
   */
  @Test
  void theFileTheReaderIsInGoesOnlyAfterItMovedOnAndNothingLogsAnError() throws Exception {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try (Journal journal = Journal.open(dir, config(Duration.ZERO), JournalStats.NONE, now::get)) {
      List<JournalEntry> read = new java.util.concurrent.CopyOnWriteArrayList<>();
      JournalReader reader = journal.startReader(vertx.getOrCreateContext(), read::addAll);
      reader.request(1_000);
      append(journal, 10);
      now.addAndGet(FIVE_MINUTES);
      List<Long> first = append(journal, 10); // a second file: the reader moves on into it
      await().atMost(Duration.ofSeconds(10)).until(() -> read.size() == 20);
      journal.checkpoint().advance(first.get(9));
      now.addAndGet(FIVE_MINUTES); // the writer's next append goes to a new file
      assertThat(stillThereAfterRounds(journal)).as("the reader is still in it").isEqualTo(1);

      append(journal, 10);
      await().atMost(Duration.ofSeconds(10)).until(() -> read.size() == 30);
      await().atMost(Duration.ofSeconds(10)).until(() -> files() == 1);
      // The reader goes on reading where it is.
      append(journal, 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> read.size() == 31);
    } finally {
      root.detachAppender(logs);
    }
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR))
        .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .isEmpty();
  }
}
