package io.edgegate.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.JournalConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backlog measured on a real journal: entries, bytes and oldest receive time. */
class BacklogProbeTest {
  private static final long T0 = 1_800_000_000_000L;
  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong now = new AtomicLong(T0);
  @TempDir Path dir;

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  @Test
  void anEmptyJournalHasNoBacklog() throws Exception {
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE, now::get);
        BacklogProbe probe = BacklogProbe.open(dir, JournalConfig.Roll.HOURLY)) {
      assertThat(probe.measure(journal.checkpoint().index())).isEqualTo(BacklogProbe.Backlog.NONE);
    }
  }

  @Test
  void countsEntriesAndBytesAfterTheCheckpointAndTheOldestReceiveTime() throws Exception {
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE, now::get);
        BacklogProbe probe = BacklogProbe.open(dir, JournalConfig.Roll.HOURLY)) {
      List<JournalEvent> events = events(100, 200);
      List<Long> indexes = appendAll(journal, events);

      BacklogProbe.Backlog all = probe.measure(Checkpoint.NONE);
      assertThat(all.events()).isEqualTo(100);
      assertThat(all.oldestReceivedAtMillis()).isEqualTo(events.get(0).receivedAtMillis());
      assertThat(all.bytes()).isBetween(encoded(events), encoded(events) + 1024);

      BacklogProbe.Backlog rest = probe.measure(indexes.get(59));
      assertThat(rest.events()).isEqualTo(40).isEqualTo(journal.backlog() - 60);
      assertThat(rest.oldestReceivedAtMillis()).isEqualTo(events.get(60).receivedAtMillis());
      List<JournalEvent> last40 = events.subList(60, 100);
      assertThat(rest.bytes()).isBetween(encoded(last40), encoded(last40) + 1024);

      assertThat(probe.measure(indexes.get(99))).isEqualTo(BacklogProbe.Backlog.NONE);
    }
  }

  @Test
  void sumsBytesOverRollCyclesAndSeesFilesCreatedAfterItOpened() throws Exception {
    JournalConfig config = new JournalConfig();
    config.roll = JournalConfig.Roll.FIVE_MINUTELY;
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE, now::get);
        BacklogProbe probe = BacklogProbe.open(dir, config.roll)) {
      List<JournalEvent> all = new ArrayList<>();
      List<Long> indexes = new ArrayList<>();
      for (int cycle = 0; cycle < 3; cycle++) {
        List<JournalEvent> batch = events(50, 1000);
        indexes.addAll(appendAll(journal, batch));
        all.addAll(batch);
        now.addAndGet(TimeUnit.MINUTES.toMillis(10)); // the next batch goes into a new file
      }
      BacklogProbe.Backlog backlog = probe.measure(indexes.get(24));
      List<JournalEvent> rest = all.subList(25, 150);
      assertThat(backlog.events()).isEqualTo(125);
      assertThat(backlog.bytes()).isBetween(encoded(rest), encoded(rest) + 3 * 1024);
      assertThat(backlog.oldestReceivedAtMillis()).isEqualTo(all.get(25).receivedAtMillis());
    }
  }

  private static long encoded(List<JournalEvent> events) {
    long total = 0;
    Bytes<?> bytes = Bytes.allocateElasticOnHeap(4096);
    for (JournalEvent e : events) {
      bytes.clear();
      JournalCodec.write(bytes, e);
      total += bytes.writePosition() + 4;
    }
    return total;
  }

  private List<JournalEvent> events(int n, int payloadBytes) {
    EventIds ids = new EventIds(Clock.systemUTC());
    List<JournalEvent> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] payload =
          ("{\"seq\":" + i + ",\"pad\":\"" + "x".repeat(payloadBytes) + "\"}")
              .getBytes(StandardCharsets.UTF_8);
      list.add(
          new JournalEvent(
              JournalEvent.UNAPPENDED,
              ids.next(),
              now.get() + i,
              1,
              "dev-" + (i % 3),
              "devices/dev-" + (i % 3) + "/telemetry",
              null,
              List.of(),
              payload));
    }
    return list;
  }

  private List<Long> appendAll(Journal journal, List<JournalEvent> events) throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<List<Long>> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          List<Future<Long>> futures = new ArrayList<>();
          for (JournalEvent e : events) {
            futures.add(journal.writer().append(e));
          }
          Future.all(futures)
              .onSuccess(cf -> done.complete(cf.<Long>list()))
              .onFailure(done::completeExceptionally);
        });
    return done.get(30, TimeUnit.SECONDS);
  }
}
