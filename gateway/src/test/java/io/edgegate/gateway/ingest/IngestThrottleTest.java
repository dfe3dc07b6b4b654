package io.edgegate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.journal.Journal;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalStats;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The throttle on a real journal whose backlog is held over its limit by a held sync. */
class IngestThrottleTest {
  private final Vertx vertx = Vertx.vertx();
  private final CountDownLatch releaseSync = new CountDownLatch(1);
  @TempDir Path dir;

  @AfterEach
  void close() {
    releaseSync.countDown();
    vertx.close().await();
  }

  @Test
  void aClosedConnectionIsForgottenAtOnceAndNotResumed() throws Exception {
    try (Journal journal = overItsLimit()) {
      IngestThrottle throttle = new IngestThrottle(journal.writer());
      Connection stays = new Connection();
      Connection leaves = new Connection();
      throttle.pauseRefused(stays);
      throttle.pauseRefused(leaves);
      assertThat(throttle.pausedConnections()).isEqualTo(2);

      throttle.closed(leaves);
      assertThat(throttle.pausedConnections()).as("closed: forgotten now").isEqualTo(1);

      releaseSync.countDown(); // the backlog drains: low watermark
      await().atMost(Duration.ofSeconds(10)).until(() -> stays.resumes.get() == 1);
      assertThat(leaves.resumes).hasValue(0);
      assertThat(throttle.pausedConnections()).isZero();
    }
  }

  @Test
  void manyConnectionsThatCloseWhilePausedLeaveNothingBehind() throws Exception {
    try (Journal journal = overItsLimit()) {
      IngestThrottle throttle = new IngestThrottle(journal.writer());
      for (int i = 0; i < 10_000; i++) {
        Connection c = new Connection();
        throttle.pauseIfNeeded(c);
        throttle.closed(c);
      }
      assertThat(throttle.pausedConnections()).isZero();
      releaseSync.countDown(); // or closing the journal waits out the held sync
    }
  }

  /** A journal with one event's worth of pending budget and two held in a sync: over it. */
  private Journal overItsLimit() throws Exception {
    JournalConfig config = new JournalConfig();
    config.maxPendingBytes = event().weight();
    Journal journal = Journal.open(dir, config, JournalStats.NONE);
    journal
        .writer()
        .syncer(
            fsync -> {
              try {
                releaseSync.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              fsync.run();
            });
    CountDownLatch queued = new CountDownLatch(1);
    vertx.runOnContext(
        v -> {
          journal.writer().append(event(), (index, failure) -> {});
          journal.writer().append(event(), (index, failure) -> {});
          queued.countDown();
        });
    assertThat(queued.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(journal.writer().pendingOverHighWatermark()).isTrue();
    return journal;
  }

  private static JournalEvent event() {
    return new JournalEvent(
        JournalEvent.UNAPPENDED,
        UUID.randomUUID(),
        0,
        1,
        "d",
        "devices/d/t",
        null,
        List.of(),
        new byte[] {1});
  }

  private static final class Connection implements IngestThrottle.Throttled {
    final AtomicInteger resumes = new AtomicInteger();
    volatile boolean paused;

    @Override
    public boolean paused() {
      return paused;
    }

    @Override
    public void pause() {
      paused = true;
    }

    @Override
    public void resumeOnItsLoop() {
      paused = false;
      resumes.incrementAndGet();
    }
  }
}
