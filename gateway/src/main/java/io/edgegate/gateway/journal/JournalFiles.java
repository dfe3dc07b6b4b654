package io.edgegate.gateway.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/** The journal's files as the file system sees them: names, cycles, sizes, quarantine. Blocking. */
final class JournalFiles {
  // The roll cycles Journal maps journal.roll to.
  private static final List<RollCycles> JOURNAL_ROLLS =
      List.of(RollCycles.FIVE_MINUTELY, RollCycles.FAST_HOURLY, RollCycles.FAST_DAILY);

  private JournalFiles() {}

  /** Whether {@code dir} holds a Chronicle queue (its metadata or at least one cycle file). */
  static boolean holdsJournal(Path dir) {
    return Files.isRegularFile(dir.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE))
        || !cycleFileNames(dir).isEmpty();
  }

  /**
   * The roll cycle the files in {@code dir} were written with, else {@code fallback}. Chronicle
   * takes the roll cycle from the queue's metadata anyway, but warns when it differs from the one
   * asked for; asking for the right one keeps a command's output clean.
   */
  static RollCycle rollCycleOf(Path dir, RollCycle fallback) {
    for (String name : cycleFileNames(dir)) {
      for (RollCycles roll : JOURNAL_ROLLS) {
        if (startOf(name, roll) != null) {
          return roll;
        }
      }
    }
    return fallback;
  }

  /** The cycle files of {@code roll} in {@code dir}, oldest first. */
  static List<JournalSummary.CycleFile> cycleFiles(Path dir, RollCycle roll) {
    List<JournalSummary.CycleFile> files = new ArrayList<>();
    for (String name : cycleFileNames(dir)) {
      Instant start = startOf(name, roll);
      if (start != null) {
        int cycle = (int) (start.toEpochMilli() / roll.lengthInMillis());
        files.add(new JournalSummary.CycleFile(name, cycle, start));
      }
    }
    files.sort(Comparator.comparingInt(JournalSummary.CycleFile::cycle));
    return files;
  }

  /**
   * The cycles that have a file in {@code dir}, ascending. From the directory itself rather than
   * Chronicle's listing, which refuses ranges whose ends have no file.
   */
  static int[] cycles(Path dir, RollCycle roll) {
    return cycleFiles(dir, roll).stream().mapToInt(JournalSummary.CycleFile::cycle).toArray();
  }

  /** The file Chronicle keeps {@code cycle} in. */
  static Path fileOf(Path dir, RollCycle roll, int cycle) {
    DateTimeFormatter format = DateTimeFormatter.ofPattern(roll.format()).withZone(ZoneOffset.UTC);
    Instant start = Instant.ofEpochMilli(cycle * (long) roll.lengthInMillis());
    return dir.resolve(format.format(start) + SingleChronicleQueue.SUFFIX);
  }

  /** Files TailRepair moved to {@code <journal>-quarantine/}, oldest first. */
  static List<JournalSummary.QuarantinedFile> quarantined(Path journalDir) throws IOException {
    Path quarantine = TailRepair.quarantineDir(journalDir);
    if (!Files.isDirectory(quarantine)) {
      return List.of();
    }
    List<JournalSummary.QuarantinedFile> out = new ArrayList<>();
    // <quarantine>/<file>.<millis>/<file>: one directory per repair
    try (Stream<Path> paths = Files.walk(quarantine, 2)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (Files.isRegularFile(p)
            && p.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX)) {
          out.add(
              new JournalSummary.QuarantinedFile(
                  p, Files.size(p), Files.getLastModifiedTime(p).toInstant()));
        }
      }
    }
    out.sort(Comparator.comparing(JournalSummary.QuarantinedFile::modified));
    return out;
  }

  /** The sum of the lengths of the regular files in {@code dir}. */
  static long apparentBytes(Path dir) throws IOException {
    long total = 0;
    try (Stream<Path> paths = Files.list(dir)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (Files.isRegularFile(p)) {
          total += Files.size(p);
        }
      }
    }
    return total;
  }

  /**
   * Bytes {@code dir} occupies on disk, or -1 if {@code du} is not available. Journal files are
   * sparse (a new one is 80 MiB long and occupies a few KiB): their length says little.
   */
  static long diskBytes(Path dir) {
    try {
      Process p = new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(true).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return -1;
      }
      return Long.parseLong(out.split("\\s+")[0]) * 1024;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static List<String> cycleFileNames(Path dir) {
    String[] names = dir.toFile().list((d, n) -> n.endsWith(SingleChronicleQueue.SUFFIX));
    return names == null ? List.of() : List.of(names);
  }

  /** When the cycle in file {@code name} began, or null if {@code roll} did not name it. */
  private static Instant startOf(String name, RollCycle roll) {
    String stamp = name.substring(0, name.length() - SingleChronicleQueue.SUFFIX.length());
    // A daily file name has no time of day, which LocalDateTime needs: default it to midnight.
    DateTimeFormatter format =
        new DateTimeFormatterBuilder()
            .appendPattern(roll.format())
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
            .toFormatter(Locale.ROOT);
    try {
      return LocalDateTime.parse(stamp, format).toInstant(ZoneOffset.UTC);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
