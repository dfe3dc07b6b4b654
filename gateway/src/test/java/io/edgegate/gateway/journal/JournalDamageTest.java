package io.edgegate.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.config.JournalConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A journal whose tail was damaged (power cut mid-write, bit rot) opens and serves what is good.
 */
class JournalDamageTest {
  private final Vertx vertx = Vertx.vertx();
  private final EventIds ids = new EventIds(Clock.systemUTC());
  @TempDir Path tmp;
  private Path dir;

  @org.junit.jupiter.api.BeforeEach
  void journalDir() {
    dir = tmp.resolve("journal");
  }

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  @ParameterizedTest
  @ValueSource(strings = {"truncated", "garbage", "zeroed"})
  void damagedTailIsSkippedAndNewEventsAreStillServed(String damage) throws Exception {
    JournalConfig config = new JournalConfig();
    config.sync = JournalConfig.Sync.NONE;
    List<UUID> written = new ArrayList<>();
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
      appendAll(journal, 1000, written);
    }
    Path cycle;
    try (var files = Files.list(dir)) {
      cycle = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
    }
    long end = lastNonZeroByte(cycle);
    long from = end - 5_000; // the last ~40 entries
    try (RandomAccessFile f = new RandomAccessFile(cycle.toFile(), "rw")) {
      switch (damage) {
        case "truncated" -> f.setLength(from);
        case "garbage" -> {
          byte[] junk = new byte[1000];
          new Random(42).nextBytes(junk);
          f.seek(from);
          f.write(junk);
        }
        default -> {
          f.seek(from);
          f.write(new byte[2000]);
        }
      }
    }
    long damagedLength = Files.size(cycle);
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
      List<JournalEntry> got = new CopyOnWriteArrayList<>();
      JournalReader reader = journal.startReader(vertx.getOrCreateContext(), got::addAll);
      reader.request(100_000);
      await().atMost(Duration.ofSeconds(20)).until(() -> got.size() >= 900);
      List<UUID> after = new ArrayList<>();
      appendAll(journal, 10, after);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  got.stream()
                      .anyMatch(
                          e -> e instanceof JournalEvent ev && ev.eventId().equals(after.get(9))));
      List<UUID> seen = new ArrayList<>();
      for (JournalEntry e : got) {
        if (e instanceof JournalEvent ev) {
          seen.add(ev.eventId());
        }
      }
      System.out.printf(
          "[damage %s] served %d of 1000 old events, then the 10 new ones%n",
          damage, seen.size() - 10);
      assertThat(seen.subList(seen.size() - 10, seen.size())).isEqualTo(after);
      assertThat(written)
          .startsWith(seen.subList(0, Math.min(900, seen.size() - 10)).toArray(UUID[]::new));
      try (var quarantined = Files.list(tmp.resolve("journal-quarantine"))) {
        assertThat(quarantined.count()).as("the damaged file is kept for inspection").isEqualTo(1);
      }
      try (var kept = Files.walk(tmp.resolve("journal-quarantine"))) {
        Path file = kept.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        assertThat(Files.size(file))
            .as("the quarantined file as it was, not reopened for writing")
            .isEqualTo(damagedLength);
      }
    }
  }

  private static long lastNonZeroByte(Path file) throws Exception {
    byte[] all = Files.readAllBytes(file);
    for (int i = all.length - 1; i >= 0; i--) {
      if (all[i] != 0) {
        return i;
      }
    }
    return 0;
  }

  private void appendAll(Journal journal, int n, List<UUID> out) throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          List<Future<Long>> fs = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            UUID id = ids.next();
            out.add(id);
            fs.add(
                journal
                    .writer()
                    .append(
                        new JournalEvent(
                            JournalEvent.UNAPPENDED,
                            id,
                            System.currentTimeMillis(),
                            1,
                            "dev",
                            "t/x",
                            null,
                            List.of(),
                            ("{\"i\":" + i + ",\"pad\":\"" + "p".repeat(80) + "\"}")
                                .getBytes(StandardCharsets.UTF_8))));
          }
          Future.all(fs).onComplete(ar -> done.complete(null));
        });
    done.get(30, TimeUnit.SECONDS);
  }

  @org.junit.jupiter.api.Test
  void aWholeJournalIsNotRepaired() throws Exception {
    JournalConfig config = new JournalConfig();
    List<UUID> written = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
        appendAll(journal, 300, written);
      }
    }
    assertThat(Files.exists(tmp.resolve("journal-quarantine"))).isFalse();
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
      assertThat(journal.backlog()).isEqualTo(900);
    }
  }
}
