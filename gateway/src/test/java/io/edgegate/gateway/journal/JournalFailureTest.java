package io.edgegate.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.JournalConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends fail cleanly (no ack, writer alive) when the journal cannot create its next file. */
class JournalFailureTest {
  private final Vertx vertx = Vertx.vertx();
  @TempDir Path tmp;

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  @Test
  void appendFailsWhileTheNextFileCannotBeCreatedAndWorksAgainAfterwards() throws Exception {
    Path dir = tmp.resolve("journal");
    AtomicLong now = new AtomicLong(System.currentTimeMillis());
    JournalConfig config = new JournalConfig();
    config.roll = JournalConfig.Roll.FIVE_MINUTELY;
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE, now::get)) {
      assertThat(append(journal).get(10, TimeUnit.SECONDS)).isNotNegative();

      Path moved = tmp.resolve("moved");
      Files.move(dir, moved);
      Files.writeString(dir, "not a directory");
      now.addAndGet(TimeUnit.MINUTES.toMillis(10)); // the next append needs a new cycle file

      CompletableFuture<Long> failed = append(journal);
      Throwable error = failed.handle((v, e) -> e).get(30, TimeUnit.SECONDS);
      assertThat(error).isInstanceOf(JournalUnavailableException.class);
      assertThat(journal.writer().lastFailure()).isNotNull();
      // Still failing for the next event: no silent write into the previous file.
      assertThat(append(journal).handle((v, e) -> e).get(30, TimeUnit.SECONDS))
          .isInstanceOf(JournalUnavailableException.class);

      Files.delete(dir);
      Files.move(moved, dir);
      assertThat(append(journal).get(30, TimeUnit.SECONDS)).isNotNegative();
      assertThat(journal.writer().lastFailure()).isNull();
    }
  }

  private CompletableFuture<Long> append(Journal journal) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(
        v ->
            journal
                .writer()
                .append(
                    new JournalEvent(
                        JournalEvent.UNAPPENDED,
                        new EventIds(Clock.systemUTC()).next(),
                        System.currentTimeMillis(),
                        1,
                        "dev",
                        "t",
                        null,
                        List.of(),
                        new byte[] {1, 2, 3}))
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        result.complete(ar.result());
                      } else {
                        result.completeExceptionally(ar.cause());
                      }
                    }));
    return result;
  }
}
