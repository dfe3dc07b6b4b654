package io.edgegate.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.config.JournalConfig;
import io.vertx.core.Vertx;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A journal file damaged while the gateway runs, behind entries the reader already handed on: the
 * reader repairs it without a restart — its readable unforwarded entries are appended again (same
 * event ids, in order), the file goes to quarantine, the repair is counted — and keeps serving.
 */
class JournalRunTimeRepairTest {
  private static final int ROUNDS = 50;
  private static final int OLD = 300;
  private static final int DAMAGED_AT = 200;

  private final Vertx vertx = Vertx.vertx();
  @TempDir Path tmp;

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  @ParameterizedTest
  @ValueSource(strings = {"garbage", "zeroed"})
  void aFileDamagedWhileRunningIsRepairedAndReadingGoesOn(String damage) throws Exception {
    Path dir = tmp.resolve("journal");
    AtomicLong now = new AtomicLong(System.currentTimeMillis());
    AtomicInteger repairs = new AtomicInteger();
    AtomicInteger unreadable = new AtomicInteger();
    JournalStats stats =
        new JournalStats() {
          @Override
          public void repaired(int salvaged, int lost) {
            unreadable.addAndGet(lost);
            repairs.incrementAndGet();
          }
        };
    JournalConfig config = new JournalConfig();
    config.roll = JournalConfig.Roll.FIVE_MINUTELY;
    config.retention = Duration.ofDays(1);
    try (Journal journal = Journal.open(dir, config, stats, now::get)) {
      List<JournalEntry> read = new CopyOnWriteArrayList<>();
      JournalReader reader = journal.startReader(vertx.getOrCreateContext(), read::addAll);
      List<UUID> written = new ArrayList<>(); // every event ever appended, in order
      for (int round = 0; round < ROUNDS; round++) {
        int from = read.size();
        int writtenBefore = written.size();
        int lostBefore = unreadable.get();
        now.addAndGet(TimeUnit.MINUTES.toMillis(10));
        List<JournalEvent> events = new ArrayList<>(TestJournals.events(OLD, round));
        List<Long> old = TestJournals.appendAll(vertx, journal, events);
        now.addAndGet(TimeUnit.MINUTES.toMillis(10)); // the writer moves on to a new file
        List<JournalEvent> newer = TestJournals.events(10, round);
        TestJournals.appendAll(vertx, journal, newer);
        events.addAll(newer);
        events.forEach(e -> written.add(e.eventId()));

        reader.request(100);
        await()
            .pollInterval(Duration.ofMillis(10))
            .atMost(Duration.ofSeconds(10))
            .until(() -> read.size() == from + 100);
        damage(dir, now, old.get(DAMAGED_AT), damage, round);
        int expectRepairs = round + 1;
        reader.request(10_000);
        await()
            .pollInterval(Duration.ofMillis(10))
            .atMost(Duration.ofSeconds(20))
            .until(() -> repairs.get() == expectRepairs);
        int lost = unreadable.get() - lostBefore;
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> read.size() >= from + events.size() - lost);
        // Take back the demand not used, so the next round's first read stops at 100 again.
        reader.request(-(10_100 - (read.size() - from)));

        List<UUID> seen = new ArrayList<>();
        int damagedEntries = 0; // garbage that Chronicle took for an entry, reported as damaged
        for (JournalEntry e : read.subList(from, read.size())) {
          if (e instanceof JournalEvent ev) {
            seen.add(ev.eventId());
          } else {
            assertThat(e.index()).isGreaterThanOrEqualTo(old.get(DAMAGED_AT));
            damagedEntries++;
          }
        }
        List<UUID> mine = written.subList(writtenBefore, written.size());
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).hasSize(events.size() - lost - damagedEntries);
        // Read in order up to the damage; what was lost lies at or after it.
        assertThat(seen.subList(0, DAMAGED_AT)).isEqualTo(mine.subList(0, DAMAGED_AT));
        Set<UUID> missing = new HashSet<>(mine);
        seen.forEach(missing::remove);
        for (UUID id : missing) {
          assertThat(mine.indexOf(id)).isBetween(DAMAGED_AT, OLD - 1);
        }
        assertThat(lost).isLessThan(OLD - DAMAGED_AT);
        // Salvaged entries come after the newer file's, in their order among themselves.
        assertThat(seen.subList(DAMAGED_AT, DAMAGED_AT + 10))
            .isEqualTo(mine.subList(OLD, OLD + 10));
        assertThat(seen.subList(DAMAGED_AT + 10, seen.size()))
            .isSortedAccordingTo(java.util.Comparator.comparing(mine::indexOf));
      }
      try (var quarantined = Files.list(TailRepair.quarantineDir(dir))) {
        assertThat(quarantined.count())
            .as("damaged files are kept for inspection")
            .isEqualTo(ROUNDS);
      }
    }
  }

  /** Damages the entry at {@code index} in place, under the running journal. */
  private static void damage(Path dir, AtomicLong now, long index, String how, int round)
      throws Exception {
    long position;
    Path file;
    try (SingleChronicleQueue q =
            SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(RollCycles.FIVE_MINUTELY)
                .timeProvider(now::get)
                .readOnly(true)
                .build();
        ExcerptTailer t = q.createTailer()) {
      assertThat(t.moveToIndex(index)).isTrue();
      try (DocumentContext dc = t.readingDocument()) {
        position = dc.wire().bytes().readPosition() - 4; // its header
      }
      file = t.currentFile().toPath();
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(position);
      if (how.equals("garbage")) {
        byte[] junk = new byte[400];
        new Random(round).nextBytes(junk);
        f.write(junk);
      } else {
        f.write(new byte[4]);
      }
    }
  }
}
