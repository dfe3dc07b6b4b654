package io.edgegate.gateway.journal;

import static io.edgegate.gateway.journal.TestJournals.appendAll;
import static io.edgegate.gateway.journal.TestJournals.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.gateway.config.JournalConfig;
import io.vertx.core.Vertx;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The read-only journal view of the {@code edgegate journal} commands, on real journals. */
class JournalInspectorTest {
  private static final long T0 = 1_800_000_000_000L; // 2027-01-15T08:00:00Z, a cycle start
  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong now = new AtomicLong(T0);
  @TempDir Path tmp;

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  @Test
  void summaryMatchesWhatWasWrittenWhileTheGatewayRunsAndAfterItStopped() throws Exception {
    Path dir = tmp.resolve("journal");
    JournalConfig config = fiveMinutely();
    List<JournalEvent> written = new ArrayList<>();
    List<Long> indexes = new ArrayList<>();
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE, now::get)) {
      for (int cycle = 0; cycle < 3; cycle++) {
        List<JournalEvent> batch = events(50, now.get());
        indexes.addAll(appendAll(vertx, journal, batch));
        written.addAll(batch);
        now.addAndGet(TimeUnit.MINUTES.toMillis(10)); // next batch: a new file
      }
      journal.checkpoint().advance(indexes.get(59));

      try (JournalInspector inspector = JournalInspector.open(dir, config.roll)) {
        JournalSummary live = inspector.summarize();
        assertSummary(live, dir, written, indexes, indexes.get(59), 90);

        // The live view follows the writer: a new file and a checkpoint advance show at once.
        List<JournalEvent> more = events(5, now.get());
        indexes.addAll(appendAll(vertx, journal, more));
        written.addAll(more);
        journal.checkpoint().advance(indexes.get(149));
        JournalSummary later = inspector.summarize();
        assertSummary(later, dir, written, indexes, indexes.get(149), 5);
        assertThat(later.fileCount()).isEqualTo(4);
      }
    }
    try (JournalInspector inspector = JournalInspector.open(dir, null)) {
      JournalSummary closed = inspector.summarize();
      assertSummary(closed, dir, written, indexes, indexes.get(149), 5);
      assertThat(closed.rollCycle()).isEqualTo("FIVE_MINUTELY");
    }
  }

  private static void assertSummary(
      JournalSummary s,
      Path dir,
      List<JournalEvent> written,
      List<Long> indexes,
      long checkpoint,
      long backlog) {
    long last = indexes.get(indexes.size() - 1);
    assertThat(s.dir()).isEqualTo(dir.toAbsolutePath().normalize());
    assertThat(s.entries()).isEqualTo(written.size());
    assertThat(s.firstIndex()).isEqualTo(indexes.get(0));
    assertThat(s.headIndex()).isEqualTo(last);
    assertThat(s.checkpointIndex()).isEqualTo(checkpoint);
    assertThat(s.backlog()).isEqualTo(backlog);
    assertThat(s.fileCount())
        .isEqualTo(indexes.stream().map(RollCycles.FIVE_MINUTELY::toCycle).distinct().count());
    assertThat(s.firstFile().cycle()).isEqualTo(RollCycles.FIVE_MINUTELY.toCycle(indexes.get(0)));
    assertThat(s.lastFile().cycle()).isEqualTo(RollCycles.FIVE_MINUTELY.toCycle(last));
    assertThat(s.firstFile().start()).isEqualTo(Instant.ofEpochMilli(T0));
    assertThat(s.diskBytes()).as("du of sparse files").isPositive().isLessThan(s.apparentBytes());
    assertThat(s.oldestReceivedAt())
        .isEqualTo(Instant.ofEpochMilli(written.get(0).receivedAtMillis()));
    assertThat(s.newestReceivedAt())
        .isEqualTo(Instant.ofEpochMilli(written.get(written.size() - 1).receivedAtMillis()));
    assertThat(s.quarantined()).isEmpty();
  }

  @Test
  void anEmptyJournalHasNoHeadNoCheckpointAndNoBacklog() throws Exception {
    Path dir = tmp.resolve("journal");
    Journal.open(dir, new JournalConfig(), JournalStats.NONE).close();
    try (JournalInspector inspector = JournalInspector.open(dir, null)) {
      JournalSummary s = inspector.summarize();
      assertThat(s.entries()).isZero();
      assertThat(s.headIndex()).isEqualTo(-1);
      assertThat(s.firstIndex()).isEqualTo(-1);
      assertThat(s.checkpointIndex()).isEqualTo(Checkpoint.NONE);
      assertThat(s.backlog()).isZero();
      assertThat(s.oldestReceivedAt()).isNull();
      assertThat(inspector.cursorAtStart().next()).isNull();
      assertThat(inspector.cursorAtLast(10).next()).isNull();
    }
  }

  @Test
  void aDirectoryWithoutAJournalIsRefusedAndLeftAsItWas() throws Exception {
    Path missing = tmp.resolve("nope");
    assertThatThrownBy(() -> JournalInspector.open(missing, null))
        .isInstanceOf(JournalNotFoundException.class)
        .hasMessageContaining("nope")
        .hasMessageContaining("does not exist");
    assertThat(missing).doesNotExist();

    Path empty = Files.createDirectory(tmp.resolve("empty"));
    assertThatThrownBy(() -> JournalInspector.open(empty, null))
        .isInstanceOf(JournalNotFoundException.class)
        .hasMessageContaining("holds no journal files");
    try (Stream<Path> files = Files.list(empty)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void readingAStoppedJournalChangesNoByteOfItsFiles() throws Exception {
    Path dir = tmp.resolve("journal");
    JournalConfig config = fiveMinutely();
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE, now::get)) {
      appendAll(vertx, journal, events(20, now.get()));
      now.addAndGet(TimeUnit.MINUTES.toMillis(10));
      List<Long> indexes = appendAll(vertx, journal, events(20, now.get()));
      journal.checkpoint().advance(indexes.get(3));
    }
    Map<String, String> before = digests(dir);
    try (JournalInspector inspector = JournalInspector.open(dir, config.roll)) {
      inspector.summarize();
      try (JournalCursor cursor = inspector.cursorAtStart()) {
        int n = 0;
        while (cursor.next() != null) {
          n++;
        }
        assertThat(n).isEqualTo(40);
      }
      inspector.cursorAtLast(5).close();
    }
    assertThat(digests(dir)).isEqualTo(before);
  }

  @Test
  void cursorsStartAtAnIndexOrTheLastEntriesAcrossFiles() throws Exception {
    Path dir = tmp.resolve("journal");
    JournalConfig config = fiveMinutely();
    List<Long> indexes = new ArrayList<>();
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE, now::get)) {
      for (int cycle = 0; cycle < 3; cycle++) {
        indexes.addAll(appendAll(vertx, journal, events(10, now.get())));
        now.addAndGet(TimeUnit.MINUTES.toMillis(10));
      }
      try (JournalInspector inspector = JournalInspector.open(dir, config.roll)) {
        assertThat(read(inspector.cursorAt(indexes.get(7)))).isEqualTo(indexes.subList(7, 30));
        // the last 15 span the last two files
        assertThat(read(inspector.cursorAtLast(15))).isEqualTo(indexes.subList(15, 30));
        assertThat(read(inspector.cursorAtLast(1000))).isEqualTo(indexes);
        assertThat(read(inspector.cursorAtLast(0))).isEmpty();
        // past the end of the first file (no such entry): the next file's first entry
        long pastFirstFile = indexes.get(9) + 1;
        assertThat(read(inspector.cursorAt(pastFirstFile))).isEqualTo(indexes.subList(10, 30));
        assertThat(read(inspector.cursorAt(indexes.get(29) + 1))).isEmpty();
        assertThat(read(inspector.cursorAt(0))).isEqualTo(indexes);
      }
    }
  }

  @Test
  void aDamagedEntryComesBackAsDamagedAndReadingGoesOn() throws Exception {
    Path dir = tmp.resolve("journal");
    TestJournals.appendGarbage(dir);
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE)) {
      appendAll(vertx, journal, events(3, System.currentTimeMillis()));
      try (JournalInspector inspector = JournalInspector.open(dir, null);
          JournalCursor cursor = inspector.cursorAtStart()) {
        JournalEntry first = cursor.next();
        assertThat(first).isInstanceOf(DamagedEntry.class);
        assertThat(((DamagedEntry) first).problem()).contains("unknown entry format 99");
        for (int i = 0; i < 3; i++) {
          assertThat(cursor.next()).isInstanceOf(JournalEvent.class);
        }
        assertThat(cursor.next()).isNull();
        JournalSummary s = inspector.summarize();
        assertThat(s.entries()).isEqualTo(4);
        assertThat(s.oldestReceivedAt()).as("the first decodable entry's").isNotNull();
      }
    }
  }

  /**
   * The newest file cut off by a crash, read before the gateway's start repairs it: mid-page, the
   * lost bytes of the last entry read as zeros; at a page boundary or inside the index arrays,
   * reading on would fault (a JVM InternalError that cannot be caught reliably), so it must stop.
   */
  @ParameterizedTest
  @ValueSource(strings = {"mid-page", "page-boundary", "index-area"})
  void aCutOffFileIsReportedAsDamagedAndLeftAsItIs(String cut) throws Exception {
    Path dir = tmp.resolve("journal");
    JournalConfig config = fiveMinutely();
    config.sync = JournalConfig.Sync.NONE;
    List<Long> indexes = new ArrayList<>();
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE, now::get)) {
      indexes.addAll(appendAll(vertx, journal, events(20, now.get())));
      now.addAndGet(TimeUnit.MINUTES.toMillis(10));
      indexes.addAll(appendAll(vertx, journal, events(500, now.get())));
    }
    Path file;
    try (Stream<Path> files = Files.list(dir)) {
      file = files.filter(p -> p.toString().endsWith(".cq4")).max(Path::compareTo).orElseThrow();
    }
    long end = lastNonZeroByte(file);
    long length =
        switch (cut) {
          case "mid-page" -> end - 10;
          case "page-boundary" -> (end - 8192) / 4096 * 4096;
          default -> 2 * RollCycles.FIVE_MINUTELY.defaultIndexCount() * 8L;
        };
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(length);
    }
    try (JournalInspector inspector = JournalInspector.open(dir, null)) {
      List<JournalEntry> read = read(inspector.cursorAtStart(), List.of());
      JournalEntry lastRead = read.get(read.size() - 1);
      assertThat(lastRead).isInstanceOf(DamagedEntry.class);
      assertThat(read.subList(0, read.size() - 1))
          .allMatch(e -> e instanceof JournalEvent)
          .extracting(JournalEntry::index)
          .isEqualTo(indexes.subList(0, read.size() - 1));
      String problem = ((DamagedEntry) lastRead).problem();

      JournalSummary s = inspector.summarize();
      switch (cut) {
        case "mid-page" -> {
          assertThat(problem).startsWith("torn write");
          assertThat(lastRead.index()).isEqualTo(indexes.get(519));
          assertThat(s.entries()).isEqualTo(520);
          assertThat(s.problem()).isNull();
        }
        case "page-boundary" -> {
          assertThat(problem).contains("are lost").contains("cut it off");
          assertThat(read.size()).isBetween(22, 520);
        }
        default -> {
          assertThat(problem).contains("cannot be read").contains("holds " + length + " bytes");
          assertThat(read).hasSize(21);
        }
      }
      if (!cut.equals("mid-page")) {
        assertThat(s.problem()).contains("holds " + length + " bytes").contains("cut it off");
        assertThat(s.damagedEntries()).isEqualTo(1);
        assertThat(s.entries()).isEqualTo(read.size());
        assertThat(s.headIndex()).isEqualTo(lastRead.index());
      }
      // The other ways in stop at the damage as well.
      assertThat(read(inspector.cursorAtLast(3), List.of()))
          .last()
          .isInstanceOf(DamagedEntry.class);
      assertThat(read(inspector.cursorAt(indexes.get(10)), List.of())).hasSize(read.size() - 10);
    }
    assertThat(Files.size(file)).as("not repaired: a view only reads").isEqualTo(length);
    assertThat(tmp.resolve("journal-quarantine")).doesNotExist();
  }

  @Test
  void quarantinedFilesOfATailRepairAreListed() throws Exception {
    Path dir = tmp.resolve("journal");
    JournalConfig config = new JournalConfig();
    config.sync = JournalConfig.Sync.NONE;
    try (Journal journal = Journal.open(dir, config, JournalStats.NONE)) {
      appendAll(vertx, journal, events(200, System.currentTimeMillis()));
    }
    Path file;
    try (Stream<Path> files = Files.list(dir)) {
      file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
    }
    long tornAt = lastNonZeroByte(file) - 2_000; // the last entries: torn by a power cut
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(tornAt);
    }
    Journal.open(dir, config, JournalStats.NONE).close(); // the gateway's start repairs it
    try (JournalInspector inspector = JournalInspector.open(dir, null)) {
      List<JournalSummary.QuarantinedFile> q = inspector.summarize().quarantined();
      assertThat(q).hasSize(1);
      assertThat(q.get(0).path().getFileName()).isEqualTo(file.getFileName());
      assertThat(q.get(0).path()).startsWith(tmp.resolve("journal-quarantine"));
      // not tornAt: the repair reopens the moved file to salvage it, and Chronicle extends it
      assertThat(q.get(0).bytes()).isPositive();
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

  private JournalConfig fiveMinutely() {
    JournalConfig config = new JournalConfig();
    config.roll = JournalConfig.Roll.FIVE_MINUTELY;
    return config;
  }

  private static List<JournalEntry> read(JournalCursor cursor, List<JournalEntry> into) {
    List<JournalEntry> out = new ArrayList<>(into);
    try (cursor) {
      for (JournalEntry e = cursor.next(); e != null; e = cursor.next()) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<Long> read(JournalCursor cursor) {
    try (cursor) {
      List<Long> out = new ArrayList<>();
      JournalEntry e;
      while ((e = cursor.next()) != null) {
        out.add(e.index());
      }
      return out;
    }
  }

  private static Map<String, String> digests(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
        out.put(
            p.getFileName() + " " + Files.getLastModifiedTime(p).toMillis(),
            HexFormat.of().formatHex(sha));
      }
    }
    return out;
  }
}
