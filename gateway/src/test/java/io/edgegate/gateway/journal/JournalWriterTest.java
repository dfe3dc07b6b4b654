package io.edgegate.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.config.JournalConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The writer's group commit and its acknowledgement rule, with the fsync held or failed. */
class JournalWriterTest {
  private final Vertx vertx = Vertx.vertx();
  @TempDir Path dir;

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  @Test
  void aGroupIsSyncedAsSoonAsTheWriterCaughtUpNotWhenTheIntervalEnds() throws Exception {
    JournalConfig config = new JournalConfig();
    config.sync = JournalConfig.Sync.BATCH;
    config.syncInterval = Duration.ofHours(1); // only an upper bound: nothing waits for it
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
      List<Long> indexes = TestJournals.appendAll(vertx, journal, TestJournals.events(20, 0));
      assertThat(indexes).hasSize(20).isSorted();
    }
  }

  @Test
  void aMinimumIntervalSpacesTheFsyncsOfALightLoad() throws Exception {
    JournalConfig config = new JournalConfig();
    config.sync = JournalConfig.Sync.BATCH;
    config.syncInterval = Duration.ofSeconds(5);
    config.syncMinInterval = Duration.ofMillis(300);
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
      List<Long> starts = new CopyOnWriteArrayList<>();
      journal
          .writer()
          .syncer(
              fsync -> {
                starts.add(System.nanoTime());
                fsync.run();
              });
      // One event at a time, each after the previous one's outcome: every one is its own group.
      for (int i = 0; i < 3; i++) {
        TestJournals.appendAll(vertx, journal, TestJournals.events(1, i));
      }
      assertThat(starts).hasSizeGreaterThanOrEqualTo(3);
      // The writer counts the interval from its own clock read just before it calls the syncer,
      // which sees the call a little later: a lower bound well above the few milliseconds an
      // unspaced group takes proves the spacing without betting on those microseconds.
      for (int i = 1; i < starts.size(); i++) {
        assertThat(starts.get(i) - starts.get(i - 1))
            .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = JournalConfig.Sync.class,
      names = {"BATCH", "ALWAYS"})
  void noOutcomeBeforeTheSyncReturnsAndAppendsDuringItFormTheNextGroup(JournalConfig.Sync sync)
      throws Exception {
    JournalConfig config = new JournalConfig();
    config.sync = sync;
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
      HeldSync held = new HeldSync();
      journal.writer().syncer(held);
      List<Future<Long>> first = appendOnALoop(journal, 1);
      held.entered.await(10, TimeUnit.SECONDS);
      List<Future<Long>> second = appendOnALoop(journal, 50);
      // The writer is inside the held sync: the first event is appended (readers would see it
      // only after the sync), none of the events has an outcome.
      await().atMost(Duration.ofSeconds(10)).until(() -> journal.lastIndex() >= 0);
      assertThat(first).noneMatch(Future::isComplete);
      assertThat(second).noneMatch(Future::isComplete);

      held.release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> allSucceeded(first, second));
      // The 50 arrived during the first sync: one more group, not one sync each.
      assertThat(held.calls.get()).isEqualTo(2);
      assertThat(journal.writer().pendingBytes()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = JournalConfig.Sync.class,
      names = {"BATCH", "ALWAYS"})
  void aFailingSyncFailsItsGroupAndTheNextSyncWorksAgain(JournalConfig.Sync sync) throws Exception {
    JournalConfig config = new JournalConfig();
    config.sync = sync;
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
      AtomicBoolean failing = new AtomicBoolean(true);
      journal
          .writer()
          .syncer(
              fsync -> {
                if (failing.get()) {
                  throw new IllegalStateException("disk said no");
                }
                fsync.run();
              });
      List<Future<Long>> failed = appendOnALoop(journal, 5);
      await().atMost(Duration.ofSeconds(10)).until(() -> failed.stream().allMatch(Future::failed));
      assertThat(failed)
          .allSatisfy(f -> assertThat(f.cause()).isInstanceOf(JournalUnavailableException.class));
      assertThat(journal.writer().lastFailure()).hasMessage("disk said no");

      failing.set(false);
      List<Future<Long>> ok = appendOnALoop(journal, 5);
      await().atMost(Duration.ofSeconds(10)).until(() -> allSucceeded(ok));
    }
  }

  @Test
  void theCallbackAppendRefusesAtOnceOnTheCallersThreadWhenClosed() throws Exception {
    Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE);
    journal.close();
    List<Throwable> outcomes = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    vertx.runOnContext(
        v -> {
          journal
              .writer()
              .append(TestJournals.events(1, 0).get(0), (index, failure) -> outcomes.add(failure));
          done.countDown(); // the refusal ran before append returned
        });
    done.await(10, TimeUnit.SECONDS);
    assertThat(outcomes).singleElement().isInstanceOf(JournalUnavailableException.class);
  }

  private List<Future<Long>> appendOnALoop(Journal journal, int n) throws Exception {
    List<Future<Long>> futures = new CopyOnWriteArrayList<>();
    CountDownLatch queued = new CountDownLatch(1);
    vertx.runOnContext(
        v -> {
          for (JournalEvent e : TestJournals.events(n, 0)) {
            futures.add(journal.writer().append(e));
          }
          queued.countDown();
        });
    assertThat(queued.await(10, TimeUnit.SECONDS)).isTrue();
    return futures;
  }

  @SafeVarargs
  private static boolean allSucceeded(List<Future<Long>>... lists) {
    for (List<Future<Long>> list : lists) {
      if (!list.stream().allMatch(Future::succeeded)) {
        return false;
      }
    }
    return true;
  }

  /** Holds the first sync until released; later ones pass. */
  private static final class HeldSync implements JournalWriter.Syncer {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void sync(Runnable fsync) {
      calls.incrementAndGet();
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      fsync.run();
    }
  }
}
