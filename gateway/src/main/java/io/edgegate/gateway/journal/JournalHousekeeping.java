package io.edgegate.gateway.journal;

import io.edgegate.gateway.config.JournalConfig;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the journal within its disk limits, on its own thread ({@code
 * edgegate-journal-housekeeping}; it deletes files and runs {@code du}: blocking work).
 *
 * <p>Each round deletes the files whose events were all forwarded and are older than {@code
 * journal.retention}, then measures the journal's disk use and the file system's free space. Over
 * {@code journal.maxBytes} or under {@code journal.minFreeDisk} it first deletes forwarded files
 * regardless of retention and, if that is not enough, makes the writer refuse new events — never
 * deleting an event Kafka does not have. Under both limits again, the writer takes events again.
 *
 * <p>Disk use is what the files occupy, not their length: journal files are sparse (a new file is
 * 80 MiB long and occupies a few KiB), so it is measured with {@code du}.
 */
final class JournalHousekeeping implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JournalHousekeeping.class);

  private final SingleChronicleQueue queue;
  private final Path dir;
  private final JournalConfig config;
  private final Checkpoint checkpoint;
  private final JournalWriter writer;
  private final TimeProvider time;
  private final JournalStats stats;
  private final DateTimeFormatter fileNames;
  private final java.util.function.IntSupplier readerCycle;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "edgegate-journal-housekeeping");
            t.setDaemon(true);
            return t;
          });
  private boolean duFailed;
  private volatile long usedBytes = -1;
  private volatile long freeBytes = -1;
  private final java.util.concurrent.atomic.AtomicLong rounds =
      new java.util.concurrent.atomic.AtomicLong();

  JournalHousekeeping(
      SingleChronicleQueue queue,
      Path dir,
      JournalConfig config,
      Checkpoint checkpoint,
      JournalWriter writer,
      TimeProvider time,
      JournalStats stats,
      java.util.function.IntSupplier readerCycle) {
    this.readerCycle = readerCycle;
    this.queue = queue;
    this.dir = dir;
    this.config = config;
    this.checkpoint = checkpoint;
    this.writer = writer;
    this.time = time;
    this.stats = stats;
    this.fileNames =
        DateTimeFormatter.ofPattern(queue.rollCycle().format()).withZone(ZoneOffset.UTC);
  }

  void start() {
    long every = config.housekeepingInterval.toMillis();
    thread.scheduleWithFixedDelay(this::round, 0, every, TimeUnit.MILLISECONDS);
  }

  /** Bytes the journal occupied at the last measurement, or -1. */
  long usedBytes() {
    return usedBytes;
  }

  /** Free bytes on the journal's file system at the last measurement, or -1. */
  long freeBytes() {
    return freeBytes;
  }

  private void round() {
    try {
      deleteForwarded(false);
      String over = overLimit();
      if (over != null) {
        deleteForwarded(true);
        over = overLimit();
      }
      if (over != null) {
        writer.refuse(over);
      } else {
        writer.acceptAgain();
      }
    } catch (Throwable e) {
      // Survive one bad round; the next one tries again.
      log.warn("Journal housekeeping failed: {}", e.toString());
    } finally {
      rounds.incrementAndGet();
    }
  }

  /** Rounds completed so far (tests wait for rounds instead of time). */
  long rounds() {
    return rounds.get();
  }

  /** Why the journal is over a limit, or null. Measures and reports disk use. */
  private String overLimit() throws IOException {
    long free = Files.getFileStore(dir).getUsableSpace();
    long used = du();
    freeBytes = free;
    usedBytes = used;
    stats.disk(used, free);
    if (config.maxBytes > 0 && used >= 0 && used >= config.maxBytes) {
      return "the journal uses " + used + " bytes, journal.maxBytes is " + config.maxBytes;
    }
    if (free < config.minFreeDisk) {
      return "the disk has " + free + " bytes free, journal.minFreeDisk is " + config.minFreeDisk;
    }
    return null;
  }

  /**
   * Deletes files whose every event is forwarded and which the writer will not write to again; with
   * {@code underPressure}, regardless of {@code journal.retention}.
   */
  private void deleteForwarded(boolean underPressure) {
    long forwarded = checkpoint.indexSeenByOthers();
    if (forwarded == Checkpoint.NONE) {
      return;
    }
    RollCycle roll = queue.rollCycle();
    int forwardedCycle = roll.toCycle(forwarded);
    boolean forwardedCycleComplete = forwarded == lastIndexOf(forwardedCycle);
    int writableFrom = queue.cycle(); // the writer's current cycle, by time
    // Nor, for retention, the file the reader is in: Chronicle takes a tailer's file vanishing for
    // damage and logs an ERROR ("current cycle seems to have been deleted"); it goes once the
    // reader
    // moved on to the next event's file. At the disk limit it goes at once: the writer refuses
    // events then, so no next file would come for the reader to move on to.
    int reading = readerCycle.getAsInt();
    int keepFrom =
        underPressure || reading == Integer.MIN_VALUE
            ? writableFrom
            : Math.min(writableFrom, reading);
    long now = time.currentTimeMillis();
    long keepAfter = now - config.retention.toMillis();
    File[] files = dir.toFile().listFiles((d, name) -> name.endsWith(SingleChronicleQueue.SUFFIX));
    if (files == null) {
      return;
    }
    Arrays.sort(files, Comparator.comparing(File::getName));
    int deleted = 0;
    for (File f : files) {
      int cycle = cycleOf(f, roll);
      if (cycle == Integer.MIN_VALUE) {
        continue;
      }
      boolean allForwarded =
          cycle < forwardedCycle || (cycle == forwardedCycle && forwardedCycleComplete);
      if (!allForwarded) {
        break; // files are in cycle order: none after this one is forwarded either
      }
      long cycleEnd = (cycle + 1L) * roll.lengthInMillis();
      boolean expired = underPressure || cycleEnd <= keepAfter;
      if (cycle < keepFrom && expired && f.delete()) {
        deleted++;
      }
    }
    if (deleted > 0) {
      queue.refreshDirectoryListing();
      stats.deleted(deleted);
      log.info(
          "Deleted {} forwarded journal file(s){}",
          deleted,
          underPressure ? " early: the journal is at its disk limit" : "");
    }
  }

  private long lastIndexOf(int cycle) {
    if (cycle == queue.lastCycle()) {
      return queue.lastIndex();
    }
    try (ExcerptTailer tailer = queue.createTailer()) {
      long n = tailer.excerptsInCycle(cycle);
      return n <= 0 ? Long.MIN_VALUE : queue.rollCycle().toIndex(cycle, n - 1);
    }
  }

  private int cycleOf(File file, RollCycle roll) {
    String name = file.getName();
    String stamp = name.substring(0, name.length() - SingleChronicleQueue.SUFFIX.length());
    try {
      // Daily names carry no time of day, hourly ones no minutes: missing fields start at 0.
      java.time.temporal.TemporalAccessor t = fileNames.parse(stamp);
      int hour = t.isSupported(ChronoField.HOUR_OF_DAY) ? t.get(ChronoField.HOUR_OF_DAY) : 0;
      int minute =
          t.isSupported(ChronoField.MINUTE_OF_HOUR) ? t.get(ChronoField.MINUTE_OF_HOUR) : 0;
      long millis =
          java.time.LocalDate.from(t).atTime(hour, minute).toInstant(ZoneOffset.UTC).toEpochMilli();
      return (int) (millis / roll.lengthInMillis());
    } catch (RuntimeException e) {
      return Integer.MIN_VALUE; // not a journal file of this roll cycle
    }
  }

  /** Bytes the journal directory occupies on disk; -1 if {@code du} is not available. */
  private long du() {
    if (duFailed) {
      return -1;
    }
    try {
      Process p = new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(true).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(
            "du exited with " + (p.isAlive() ? "a timeout" : p.exitValue()) + ": " + out);
      }
      return Long.parseLong(out.split("\\s+")[0]) * 1024;
    } catch (IOException | RuntimeException e) {
      duFailed = true;
      log.warn(
          "Cannot measure the journal's disk use ({}); journal.maxBytes is not enforced,"
              + " journal.minFreeDisk still is",
          e.toString());
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
