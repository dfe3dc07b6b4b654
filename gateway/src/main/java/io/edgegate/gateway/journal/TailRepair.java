package io.edgegate.gateway.journal;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and repairs a damaged tail of the journal at start (a power cut mid-write, a truncated
 * file, bit rot), before the writer and reader start. Chronicle Queue does not survive such a tail
 * on its own: a truncated file fails its end-of-queue search, and after garbage or zeroed bytes it
 * appends where no reader will ever look — acknowledged events would be stranded.
 *
 * <p>The check walks the entries of the newest file from the checkpoint on (what was read before is
 * known good) and compares where their framing ends with where Chronicle will append next. If they
 * differ, the file is moved to {@code <journal>-quarantine/}, the good entries after the checkpoint
 * are appended again (byte for byte: same event ids) to a fresh file, and the checkpoint is set
 * just before them. Entries behind the damage are lost to the journal; they stay in the quarantined
 * file for inspection.
 */
final class TailRepair {
  private static final Logger log = LoggerFactory.getLogger(TailRepair.class);

  /** What the check found wrong. */
  record Damage(int cycle, File file, long lastGoodIndex, String problem, long lengthBefore) {}

  /** Outcome of a repair, for logs and metrics. */
  record Repaired(Damage damage, int salvaged, Path quarantined) {}

  private TailRepair() {}

  /** Reads the newest file after {@code checkpoint}; null when it is whole. */
  static Damage check(SingleChronicleQueue queue, long checkpoint) {
    int cycle = queue.lastCycle();
    if (cycle == Integer.MIN_VALUE) {
      return null; // empty journal
    }
    RollCycle roll = queue.rollCycle();
    // Its length before Chronicle maps it: mapping a damaged file for reading grows it (to its
    // sparse length, or further after a garbage length), and the quarantine keeps it as it was.
    long lengthBefore = JournalFiles.fileOf(queue.file().toPath(), roll, cycle).toFile().length();
    long lastGood = Checkpoint.NONE;
    long lastHeader = -1;
    File file = null;
    try (ExcerptTailer tailer = queue.createTailer()) {
      boolean positioned =
          checkpoint != Checkpoint.NONE
              && roll.toCycle(checkpoint) == cycle
              && tailer.moveToIndex(checkpoint);
      if (!positioned) {
        tailer.moveToCycle(cycle);
      }
      while (true) {
        try (DocumentContext dc = tailer.readingDocument(true)) {
          if (!dc.isPresent()) {
            break;
          }
          Bytes<?> bytes = dc.wire().bytes();
          lastHeader = bytes.readPosition() - 4; // a document's 4-byte header precedes its content
          if (dc.isData()) {
            // The framing is what decides a damaged tail; an entry whose content does not decode
            // is skipped by the reader, not a damaged tail. So entries are not decoded here: with
            // millions of unforwarded events that decoding was most of the start-up time.
            lastGood = dc.index();
          }
        }
      }
      SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
      if (store == null) {
        return null;
      }
      try {
        file = store.file();
        long writePosition = store.writePosition();
        if (writePosition != lastHeader) {
          return new Damage(
              cycle,
              file,
              lastGood,
              "entries end at byte "
                  + lastHeader
                  + " but the file was written up to "
                  + writePosition,
              lengthBefore);
        }
      } finally {
        queue.closeStore(store);
      }
      return null;
    } catch (Throwable e) { // Chronicle reports damage as exceptions and, with -ea, AssertionErrors
      return new Damage(
          cycle, file != null ? file : fileOf(queue, cycle), lastGood, e.toString(), lengthBefore);
    }
  }

  /**
   * Repairs {@code damage}: quarantines the file, reopens the journal with {@code open}, re-appends
   * the good entries after {@code checkpoint}, and moves the checkpoint before them.
   *
   * @return the reopened queue (the damaged one is closed)
   */
  static SingleChronicleQueue repair(
      SingleChronicleQueue damagedQueue,
      Damage damage,
      Checkpoint checkpoint,
      Supplier<SingleChronicleQueue> open,
      java.util.function.Consumer<Repaired> report)
      throws IOException {
    Path journalDir = damagedQueue.file().toPath();
    damagedQueue.close();
    Path quarantine =
        quarantineDir(journalDir)
            .resolve(damage.file().getName() + "." + System.currentTimeMillis());
    Files.createDirectories(quarantine);
    Path kept = quarantine.resolve(damage.file().getName());
    Files.move(damage.file().toPath(), kept, StandardCopyOption.ATOMIC_MOVE);

    SingleChronicleQueue queue = open.get();
    queue.refreshDirectoryListing();
    long checkpointBefore = checkpoint.index();
    RollCycle roll = queue.rollCycle();
    boolean checkpointInDamagedCycle =
        checkpointBefore != Checkpoint.NONE && roll.toCycle(checkpointBefore) == damage.cycle();
    long lastBefore = queue.lastCycle() == Integer.MIN_VALUE ? Checkpoint.NONE : queue.lastIndex();

    int salvaged = 0;
    if (damage.lastGoodIndex() != Checkpoint.NONE) {
      // Read-only: opened for writing, Chronicle would grow the file back to its sparse length
      // and could write into the evidence.
      try (SingleChronicleQueue quarantined =
              SingleChronicleQueueBuilder.binary(quarantine)
                  .rollCycle(roll)
                  .readOnly(true)
                  .build();
          ExcerptTailer tailer = quarantined.createTailer();
          ExcerptAppender appender = queue.createAppender()) {
        tailer.moveToCycle(damage.cycle());
        while (true) {
          try (DocumentContext in = tailer.readingDocument()) {
            if (!in.isPresent() || in.index() > damage.lastGoodIndex()) {
              break;
            }
            if (checkpointInDamagedCycle && in.index() <= checkpointBefore) {
              continue; // forwarded already
            }
            try (DocumentContext out = appender.writingDocument()) {
              out.wire().bytes().write(in.wire().bytes());
            }
            salvaged++;
          }
        }
        appender.sync();
      }
    }
    // After the salvage, whose reads may follow a garbage length into what the check's mapping
    // added.
    if (damage.lengthBefore() > 0 && Files.size(kept) > damage.lengthBefore()) {
      try (FileChannel f = FileChannel.open(kept, StandardOpenOption.WRITE)) {
        f.truncate(damage.lengthBefore()); // only the zeros the check's mapping added
      }
    }
    if (checkpointInDamagedCycle) {
      // Its index now belongs to nothing (or to a different entry of a new file): resume right
      // before the salvaged entries.
      checkpoint.reset(lastBefore);
      checkpoint.force();
    }
    Repaired repaired = new Repaired(damage, salvaged, quarantine);
    log.error(
        "Journal file {} was damaged ({}); moved it to {} and re-appended its {} good unforwarded"
            + " entries; anything after the damage is not recoverable from the journal",
        damage.file().getName(),
        damage.problem(),
        quarantine,
        salvaged);
    report.accept(repaired);
    return queue;
  }

  /** Where damaged files of the journal in {@code journalDir} are kept: a sibling directory. */
  static Path quarantineDir(Path journalDir) {
    Path absolute = journalDir.toAbsolutePath().normalize();
    return absolute.resolveSibling(absolute.getFileName() + "-quarantine");
  }

  private static File fileOf(SingleChronicleQueue queue, int cycle) {
    // The store could not be reached: derive the file name the way Chronicle names cycle files.
    File[] files = queue.file().listFiles((d, name) -> name.endsWith(SingleChronicleQueue.SUFFIX));
    if (files == null || files.length == 0) {
      throw new IllegalStateException("no journal file for damaged cycle " + cycle);
    }
    java.util.Arrays.sort(files);
    return files[files.length - 1];
  }
}
