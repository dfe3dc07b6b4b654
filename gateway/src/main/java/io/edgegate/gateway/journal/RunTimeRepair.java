package io.edgegate.gateway.journal;

import static io.edgegate.gateway.journal.ReadPosition.UNKNOWN;
import static io.edgegate.gateway.journal.ReadPosition.hex;

import io.edgegate.gateway.thread.Confinement;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs a journal file {@link JournalReader} cannot read on while the gateway runs (see the
 * reader's <b>Damage at run time</b>): its readable unforwarded entries are appended again at the
 * journal's end through the writer, durably and in order, then the file is moved to {@code
 * <journal>-quarantine/}, counted and logged once.
 *
 * <p><b>Confined to the reader thread</b> {@code edgegate-journal-reader}: {@link #repair} is
 * called on it and asserts it, and blocks it until the entries appended again are durable (the
 * appends themselves go through the consumer's context, as the ingest's do).
 */
final class RunTimeRepair {
  private static final Logger log = LoggerFactory.getLogger(RunTimeRepair.class);
  private static final long RETRY_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long MAX_PROBE_MISSES = 4096;

  /** Salvaged entries appended again per round trip to the writer. */
  private static final int REAPPEND_CHUNK = 256;

  private final SingleChronicleQueue queue;
  private final RollCycle roll;
  private final Path dir;
  private final ReadPosition position;
  private final JournalWriter writer;
  private final Context context;
  private final JournalStats stats;
  private final Thread reader;
  private final BooleanSupplier running;

  /**
   * @param running false once the reader closes: a repair under way stops, the file stays
   */
  RunTimeRepair(
      SingleChronicleQueue queue,
      ReadPosition position,
      JournalWriter writer,
      Context context,
      JournalStats stats,
      Thread reader,
      BooleanSupplier running) {
    this.queue = queue;
    this.roll = queue.rollCycle();
    this.dir = queue.file().toPath();
    this.position = position;
    this.writer = writer;
    this.context = context;
    this.stats = stats;
    this.reader = reader;
    this.running = running;
  }

  /**
   * Appends the readable entries of {@code cycle} from {@code missing} on again, durably and in
   * order, then moves the file to quarantine. {@code last} is the entry handed on last, for the
   * log. Called on the reader thread.
   */
  void repair(int cycle, long missing, long last, String problem) throws IOException {
    assert Confinement.onThread(reader);
    Path file = JournalFiles.fileOf(dir, roll, cycle);
    long entries = position.entriesIn(cycle);
    int salvaged = 0;
    int unreadable = 0;
    List<JournalEvent> chunk = new ArrayList<>(REAPPEND_CHUNK);
    // Uncountable: probe on until a long run of misses (longer than Chronicle's index spacing,
    // so the next indexed entry after the damage is reached if there is one).
    long misses = 0;
    try (ExcerptTailer probe = queue.createTailer()) {
      for (long seq = roll.toSequenceNumber(missing);
          entries == UNKNOWN ? misses < MAX_PROBE_MISSES : seq < entries;
          seq++) {
        JournalEvent e = readAt(probe, roll.toIndex(cycle, seq));
        if (e == null) {
          misses++;
          if (entries != UNKNOWN) {
            unreadable++;
          }
          continue;
        }
        if (entries == UNKNOWN) {
          unreadable += misses;
        }
        misses = 0;
        chunk.add(e);
        if (chunk.size() == REAPPEND_CHUNK) {
          salvaged += reappend(chunk);
          chunk.clear();
        }
        if (!running.getAsBoolean()) {
          return; // closing: the file stays, the next start meets it again
        }
      }
      salvaged += reappend(chunk);
    }
    if (!running.getAsBoolean()) {
      return;
    }
    Path quarantine =
        TailRepair.quarantineDir(dir)
            .resolve(file.getFileName() + "." + System.currentTimeMillis());
    Files.createDirectories(quarantine);
    Files.move(file, quarantine.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    position.quarantined(cycle);
    stats.repaired(salvaged, unreadable);
    log.error(
        "Journal file {} is damaged after entry {} ({}); appended its {} readable unforwarded"
            + " entries again at the journal's end, {} unreadable ones stay in {}; reading goes on",
        file.getFileName(),
        hex(last),
        problem,
        salvaged,
        unreadable,
        quarantine);
  }

  /** The event at {@code index}, or null when it cannot be reached or decoded. */
  private static JournalEvent readAt(ExcerptTailer probe, long index) {
    try {
      if (!probe.moveToIndex(index)) {
        return null;
      }
      try (DocumentContext dc = probe.readingDocument()) {
        if (!dc.isPresent() || !dc.isData() || dc.index() != index) {
          return null;
        }
        return JournalCodec.read(dc.wire().bytes(), index);
      }
    } catch (RuntimeException | AssertionError | InternalError e) {
      return null; // CorruptEntryException among them: not readable
    }
  }

  /**
   * Appends {@code events} through the writer (on the consumer's context, as the ingest does) and
   * waits until they are durable; what is refused (disk limit) is tried again. Returns how many.
   */
  private int reappend(List<JournalEvent> events) {
    assert Confinement.onThread(reader);
    List<JournalEvent> left = events;
    while (!left.isEmpty() && running.getAsBoolean()) {
      List<JournalEvent> todo = left;
      CompletableFuture<List<JournalEvent>> failed = new CompletableFuture<>();
      context.runOnContext(
          v -> {
            List<Future<Long>> appends = new ArrayList<>(todo.size());
            for (JournalEvent e : todo) {
              appends.add(writer.append(e));
            }
            Future.join(appends)
                .onComplete(
                    ar -> {
                      List<JournalEvent> again = new ArrayList<>();
                      for (int i = 0; i < appends.size(); i++) {
                        if (appends.get(i).failed()) {
                          again.add(todo.get(i));
                        }
                      }
                      failed.complete(again);
                    });
          });
      try {
        left = failed.get(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return events.size() - left.size();
      } catch (ExecutionException | TimeoutException e) {
        // left unchanged: try again
      }
      if (!left.isEmpty()) {
        LockSupport.parkNanos(this, RETRY_PARK_NANOS);
      }
    }
    return events.size() - left.size();
  }
}
