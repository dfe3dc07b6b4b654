package io.edgegate.benchmarks.runner;

import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.Journal;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalStats;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fills a journal with COUNT events of the benchmark's payload size through the gateway's own
 * journal writer (none forwarded), for the start-up scenario. Usage: {@code JournalFillMain DIR
 * COUNT SIZE}. Appends in chunks so that the writer's pending-bytes bound is never hit.
 */
public final class JournalFillMain {
  private static final int CHUNK = 10_000;

  private JournalFillMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long count = Long.parseLong(args[1]);
    int size = Integer.parseInt(args[2]);
    JournalConfig config = new JournalConfig();
    config.sync = JournalConfig.Sync.NONE;
    Vertx vertx = Vertx.vertx();
    long t0 = System.nanoTime();
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
      Context context = vertx.getOrCreateContext();
      EventIds ids = new EventIds(Clock.systemUTC());
      byte[] payload = new byte[size];
      for (long done = 0; done < count; done += CHUNK) {
        int n = (int) Math.min(CHUNK, count - done);
        CompletableFuture<Void> chunk = new CompletableFuture<>();
        context.runOnContext(
            v -> {
              List<Future<Long>> appends = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                String device = String.format(Locale.ROOT, "sim-%04d", 1 + i % 100);
                appends.add(
                    journal
                        .writer()
                        .append(
                            new JournalEvent(
                                JournalEvent.UNAPPENDED,
                                ids.next(),
                                System.currentTimeMillis(),
                                1,
                                device,
                                "devices/" + device + "/telemetry",
                                null,
                                List.of(),
                                payload)));
              }
              Future.all(appends)
                  .onComplete(
                      ar -> {
                        if (ar.succeeded()) {
                          chunk.complete(null);
                        } else {
                          chunk.completeExceptionally(ar.cause());
                        }
                      });
            });
        chunk.get(5, TimeUnit.MINUTES);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    System.out.printf(
        Locale.ROOT, "filled %d events in %.1f s%n", count, (System.nanoTime() - t0) / 1e9);
  }
}
