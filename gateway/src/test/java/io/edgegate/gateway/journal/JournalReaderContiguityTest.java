package io.edgegate.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.config.JournalConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader hands on every published entry exactly once, in order, whatever happens to the
 * journal's files meanwhile: it checks that each index follows the one before (within a file, and
 * across files against what the writer appended) and re-positions on a gap instead of reading on
 * past it. Each scenario runs many times: the gap it provokes depends on timing.
 */
class JournalReaderContiguityTest {
  private static final int ROUNDS = 50;
  private static final long FIVE_MINUTES = TimeUnit.MINUTES.toMillis(5);

  private final Vertx vertx = Vertx.vertx();
  @TempDir Path tmp;

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  private static JournalConfig config() {
    JournalConfig config = new JournalConfig();
    config.roll = JournalConfig.Roll.FIVE_MINUTELY;
    config.retention = Duration.ofDays(1); // housekeeping deletes nothing here
    return config;
  }

  /**
   * The journal directory goes away (and a plain file takes its place, so the next file cannot be
   * created) while the reader has not read the last entries, then comes back: the reader still
   * hands on every entry, those before the sabotage included, and nothing twice.
   */
  @Test
  void aJournalDirectoryMovedAwayAndBackWhileUnreadLosesNothing() throws Exception {
    long started = System.nanoTime();
    for (int round = 0; round < ROUNDS; round++) {
      Path dir = tmp.resolve("journal-" + round);
      Path aside = tmp.resolve("aside-" + round);
      AtomicLong now = new AtomicLong(System.currentTimeMillis());
      List<JournalEntry> read = new CopyOnWriteArrayList<>();
      try (Journal journal = Journal.open(dir, config(), JournalStats.NONE, now::get)) {
        List<Long> appended = new ArrayList<>();
        JournalReader reader = journal.startReader(vertx.getOrCreateContext(), read::addAll);
        // Rounds differ in when the reader asks: before, during or after the sabotage.
        int askAt = round % 3;
        if (askAt == 0) {
          reader.request(1_000);
        }
        appended.addAll(append(journal, 10, round));
        Files.move(dir, aside);
        Files.writeString(dir, "in the way");
        now.addAndGet(2 * FIVE_MINUTES); // the next append needs a new file, and cannot
        if (askAt == 1) {
          reader.request(1_000);
        }
        assertThat(appendFails(journal)).isTrue();
        Files.delete(dir);
        Files.move(aside, dir);
        appended.addAll(append(journal, 5, round));
        if (askAt == 2) {
          reader.request(1_000);
        }
        assertReadExactly(read, appended);
        // What comes next arrives too, and nothing twice.
        appended.addAll(append(journal, 1, round));
        assertReadExactly(read, appended);
      }
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
  }

  /**
   * The gateway restarts again and again while the writer moves from file to file: each time the
   * reader resumes right after the checkpoint — also when the checkpoint is the last entry of a
   * file, or the reader stopped in the middle of one — and nothing is skipped across restarts.
   */
  @Test
  void aReaderRestartedWhileTheWriterRollsResumesRightAfterTheCheckpoint() throws Exception {
    long started = System.nanoTime();
    Path dir = tmp.resolve("journal");
    AtomicLong now = new AtomicLong(System.currentTimeMillis());
    java.util.Random random = new java.util.Random(21);
    List<Long> appended = new ArrayList<>();
    List<Long> forwarded = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      try (Journal journal = Journal.open(dir, config(), JournalStats.NONE, now::get)) {
        long resumedAfter = journal.checkpoint().index();
        List<JournalEntry> read = new CopyOnWriteArrayList<>();
        JournalReader reader = journal.startReader(vertx.getOrCreateContext(), read::addAll);
        int first = 1 + random.nextInt(20);
        int second = 1 + random.nextInt(20);
        long backlog = appended.size() - forwarded.size();
        // The reader stops after a random number of entries: mid-file, or at a file's end.
        int demand =
            (int)
                switch (round % 3) {
                  case 0 -> backlog + first; // the last entry of the first file
                  case 1 -> backlog + first + second;
                  default -> 1 + random.nextInt((int) backlog + first + second);
                };
        reader.request(demand);
        appended.addAll(append(journal, first, round));
        now.addAndGet(FIVE_MINUTES); // the writer rolls to a new file
        appended.addAll(append(journal, second, round));
        List<Long> expected =
            appended.subList(forwarded.size(), forwarded.size() + demand).stream().toList();
        assertReadExactly(read, expected);
        assertThat(read.get(0).index())
            .as("the entry after the checkpoint %s", Long.toHexString(resumedAfter))
            .isEqualTo(appended.get(forwarded.size()));
        long upTo = read.get(read.size() - 1).index();
        journal.checkpoint().advance(upTo);
        forwarded.addAll(expected);
        now.addAndGet(random.nextBoolean() ? FIVE_MINUTES : 0);
      }
    }
    assertThat(forwarded).isEqualTo(appended.subList(0, forwarded.size()));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
  }

  private static void assertReadExactly(List<JournalEntry> read, List<Long> appended) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(read)
                    .extracting(JournalEntry::index)
                    .map(Long::toHexString)
                    .containsExactlyElementsOf(appended.stream().map(Long::toHexString).toList()));
  }

  private List<Long> append(Journal journal, int n, int round) throws Exception {
    return TestJournals.appendAll(vertx, journal, TestJournals.events(n, round));
  }

  private boolean appendFails(Journal journal) throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Boolean> failed = new CompletableFuture<>();
    context.runOnContext(
        v ->
            journal
                .writer()
                .append(TestJournals.events(1, 0).get(0))
                .onComplete(ar -> failed.complete(ar.failed())));
    return failed.get(30, TimeUnit.SECONDS);
  }
}
