package io.edgegate.gateway.journal;

import io.edgegate.gateway.config.JournalConfig;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local journal: a Chronicle Queue in {@code journal.dir} with one writer thread, one reader
 * thread and the forward checkpoint. {@link #open} and {@link #close} block (file creation, first
 * use of Chronicle costs about a second): call them off the event loop.
 */
public final class Journal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  private final SingleChronicleQueue queue;
  private final Checkpoint checkpoint;
  private final JournalWriter writer;
  private final JournalHousekeeping housekeeping;
  private final JournalStats stats;
  private final Path dir;
  private volatile JournalReader reader;

  private Journal(
      Path dir,
      SingleChronicleQueue queue,
      Checkpoint checkpoint,
      JournalWriter writer,
      JournalHousekeeping housekeeping,
      JournalStats stats) {
    this.housekeeping = housekeeping;
    this.dir = dir;
    this.queue = queue;
    this.checkpoint = checkpoint;
    this.writer = writer;
    this.stats = stats;
  }

  public static Journal open(Path dir, JournalConfig config, JournalStats stats)
      throws IOException {
    return open(dir, config, stats, SystemTimeProvider.INSTANCE);
  }

  /** Opens (creating if needed) the journal; {@code time} decides roll cycles (tests move it). */
  public static Journal open(Path dir, JournalConfig config, JournalStats stats, TimeProvider time)
      throws IOException {
    Files.createDirectories(dir);
    java.util.function.Function<Path, SingleChronicleQueue> openAt =
        at ->
            SingleChronicleQueueBuilder.binary(at)
                .rollCycle(rollCycle(config.roll))
                .timeProvider(time)
                .syncMode(config.sync == JournalConfig.Sync.NONE ? SyncMode.NONE : SyncMode.SYNC)
                .checkInterrupts(false)
                .build();
    SingleChronicleQueue queue = openAt.apply(dir);
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.open(dir.resolve(Checkpoint.FILE_NAME));
    } catch (IOException | RuntimeException e) {
      queue.close();
      throw e;
    }
    TailRepair.Damage damage = TailRepair.check(queue, checkpoint.index());
    if (damage != null) {
      queue =
          TailRepair.repair(
              queue, damage, checkpoint, () -> openAt.apply(dir), r -> stats.damaged());
    }
    long last = queue.lastIndex();
    if (checkpoint.index() != Checkpoint.NONE && checkpoint.index() > last) {
      // The journal lost its tail (power cut with sync: none) after those events were forwarded.
      // New appends may reuse those indexes: resume after what the journal really holds.
      log.warn(
          "Checkpoint {} is beyond the journal's last entry {}; resuming after the last entry",
          Long.toHexString(checkpoint.index()),
          Long.toHexString(last));
      checkpoint.advance(last);
    }
    JournalWriter writer = new JournalWriter(queue, config, stats);
    // Housekeeping spares the reader's file; the reader starts later, so it asks the journal.
    Journal[] self = new Journal[1];
    JournalHousekeeping housekeeping =
        new JournalHousekeeping(
            queue, dir, config, checkpoint, writer, time, stats, () -> self[0].readingCycle());
    Journal journal = new Journal(dir, queue, checkpoint, writer, housekeeping, stats);
    self[0] = journal;
    writer.start();
    housekeeping.start();
    return journal;
  }

  /** The Chronicle roll cycle of {@code journal.roll}; readers of the files must agree. */
  static RollCycles rollCycle(JournalConfig.Roll roll) {
    return switch (roll) {
      case FIVE_MINUTELY -> RollCycles.FIVE_MINUTELY;
      case HOURLY -> RollCycles.FAST_HOURLY;
      case DAILY -> RollCycles.FAST_DAILY;
    };
  }

  /** The cycle of the file the reader is in; MIN_VALUE when there is none (yet). */
  private int readingCycle() {
    JournalReader r = reader;
    return r == null ? Integer.MIN_VALUE : r.readingCycle();
  }

  public JournalWriter writer() {
    return writer;
  }

  public Checkpoint checkpoint() {
    return checkpoint;
  }

  public Path dir() {
    return dir;
  }

  /** Bytes the journal occupied on disk at the last measurement (-1 before the first). */
  public long diskUsedBytes() {
    return housekeeping.usedBytes();
  }

  /** Housekeeping rounds completed so far. */
  long housekeepingRounds() {
    return housekeeping.rounds();
  }

  /** Free bytes on the journal's file system at the last measurement (-1 before the first). */
  public long diskFreeBytes() {
    return housekeeping.freeBytes();
  }

  /** The index of the newest entry, or -1 when the journal is empty. */
  public long lastIndex() {
    return queue.lastIndex();
  }

  /** Number of entries after the checkpoint (the backlog Kafka has not acknowledged yet). */
  public long backlog() {
    long last = queue.lastIndex();
    if (last < 0) {
      return 0;
    }
    long from = checkpoint.index();
    if (from == Checkpoint.NONE) {
      long first = queue.firstIndex();
      return first == Long.MAX_VALUE ? 0 : queue.countExcerpts(first, last) + 1;
    }
    return from >= last ? 0 : queue.countExcerpts(from, last);
  }

  /**
   * Starts the reader after the checkpoint; batches go to {@code sink} on {@code context}. One
   * reader per journal.
   */
  public JournalReader startReader(Context context, Handler<List<JournalEntry>> sink) {
    if (reader != null) {
      throw new IllegalStateException("the journal already has a reader");
    }
    reader = new JournalReader(queue, writer, checkpoint, context, sink, stats);
    writer.onPublished(reader::wakeUp);
    reader.start();
    return reader;
  }

  /** Stops writer and reader (the writer first appends and syncs what is queued). Blocking. */
  @Override
  public void close() throws IOException {
    housekeeping.close();
    writer.close();
    if (reader != null) {
      reader.close();
    }
    checkpoint.close();
    queue.close();
  }
}
