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
