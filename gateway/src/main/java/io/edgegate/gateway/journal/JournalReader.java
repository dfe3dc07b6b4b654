package io.edgegate.gateway.journal;

import io.edgegate.gateway.thread.Confinement;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the journal in order on one dedicated thread, {@code edgegate-journal-reader}, which alone
 * owns the Chronicle tailer (reading a cold journal faults pages in from disk: not for an event
 * loop). Entries go to {@code sink} on the consumer's context, in batches, and only as many as the
 * consumer asked for with {@link #request} — so the backlog stays on disk, not in memory.
 *
 * <p>It reads only entries the writer has published (durable under {@code journal.sync}), so a
 * forwarded event can never be lost from the journal by a power cut.
 *
 * <p><b>Contiguity.</b> Chronicle's tailer can jump: a journal directory that went away and came
 * back left it at the writer's newest file, past unread ones. So every entry must follow the one
 * handed on before it — the next sequence number in the same file (an index is {@code cycle <<
 * shift | sequence}), or else the first entry of the next file that holds any, after the previous
 * file's last entry. An entry that does not follow is not handed on; the reader re-positions after
 * the last one it handed on, and the checkpoint refuses to pass that one ({@link
 * Checkpoint#handedOut}).
 *
 * <p><b>Damage at run time.</b> When the expected entry still cannot be read after re-positioning
 * (broken framing, an unreachable stretch of a file), the file is repaired while the gateway runs:
 * its readable unforwarded entries are appended again at the journal's end (same event ids, in
 * their order), then the file is moved to {@code <journal>-quarantine/}, counted and logged once.
 * Entries that cannot be read stay in the quarantined file. A file the writer may still append to
 * (the current period's) is repaired once the writer has moved on to the next one.
 */
public final class JournalReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JournalReader.class);
  private static final int MAX_BATCH = 512;
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long RETRY_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * How long published entries may stay unseen before that counts as a gap (they are visible at
   * once when the writer publishes: time, not a count of polls, since publishes wake the reader).
   */
  private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /** Re-positions tried for one problem before the file counts as damaged. */
  private static final int REPOSITIONS = 2;

  private static final long REPOSITION_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** Salvaged entries appended again per round trip to the writer. */
  private static final int REAPPEND_CHUNK = 256;

  private static final long NONE = Checkpoint.NONE;
  private static final long MAX_PROBE_MISSES = 4096;

  private final SingleChronicleQueue queue;
  private final RollCycle roll;
  private final Path dir;
  private final JournalWriter writer;
  private final Checkpoint checkpoint;
  private final Context context;
  private final Handler<List<JournalEntry>> sink;
  private final JournalStats stats;
  private final AtomicLong demand = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  /** The cycle the tailer reads in, for housekeeping (which spares it); MIN_VALUE before. */
  private volatile int readingCycle = Integer.MIN_VALUE;

  // Reader thread only (asserted in read and recover).
  /** The index of the last entry handed on, or the checkpoint resumed after. */
  private long last;

  /** Gaps, stalls or read failures since the last entry handed on. */
  private int problems;

  private long stalledSince; // System.nanoTime() of the first empty read of a stall, or 0

  /** Cycles this reader moved to quarantine: Chronicle may still hold their stores. */
  private final Set<Integer> quarantined = new HashSet<>();

  private ExcerptTailer counter; // counts entries of a cycle; reader thread only
  private ExcerptTailer tailer; // reads the entries handed on; reader thread only
  private boolean waitingLogged;

  JournalReader(
      SingleChronicleQueue queue,
      JournalWriter writer,
      Checkpoint checkpoint,
      Context context,
      Handler<List<JournalEntry>> sink,
      JournalStats stats) {
    this.queue = queue;
    this.roll = queue.rollCycle();
    this.dir = queue.file().toPath();
    this.writer = writer;
    this.checkpoint = checkpoint;
    this.last = checkpoint.index();
    this.context = context;
    this.sink = sink;
    this.stats = stats;
    checkpoint.handedOut(last);
    this.thread = new Thread(this::run, "edgegate-journal-reader");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Asks for up to {@code n} more entries. Thread-safe. */
  public void request(int n) {
    demand.addAndGet(n);
    LockSupport.unpark(thread);
  }

  /** New entries were published. Thread-safe. */
  void wakeUp() {
    LockSupport.unpark(thread);
  }

  /** The cycle of the file the reader is in, or {@link Integer#MIN_VALUE}. Any thread. */
  int readingCycle() {
    return readingCycle;
  }

  private void run() {
    try (ExcerptTailer count = queue.createTailer()) {
      counter = count;
      tailer = queue.createTailer();
      positionAfter(tailer, last);
      readingCycle = tailer.cycle();
      while (running) {
        long wanted = Math.min(demand.get(), MAX_BATCH);
        if (wanted <= 0) {
          LockSupport.park(this);
          continue;
        }
        List<JournalEntry> batch = new ArrayList<>((int) wanted);
        String problem;
        try {
          problem = read(tailer, (int) wanted, batch);
        } catch (RuntimeException | AssertionError | InternalError e) {
          problem = "reading after " + hex(last) + " failed: " + e;
        }
        int cycle = tailer.cycle();
        if (cycle != Integer.MIN_VALUE) {
          readingCycle = cycle;
        }
        if (!batch.isEmpty()) {
          problems = 0;
          stalledSince = 0;
          waitingLogged = false;
          checkpoint.handedOut(last);
          demand.addAndGet(-batch.size());
          context.runOnContext(v -> sink.handle(batch));
        }
        if (problem == STALLED) {
          long at = System.nanoTime();
          if (stalledSince == 0) {
            stalledSince = at;
          }
          problem =
              at - stalledSince < STALL_NANOS
                  ? null
                  : "published entries after " + hex(last) + " unseen";
        } else if (problem == null) {
          stalledSince = 0;
        }
        if (problem == null) {
          if (batch.isEmpty()) {
            LockSupport.parkNanos(this, IDLE_PARK_NANOS);
          }
          continue;
        }
        stalledSince = 0;
        try {
          recover(tailer, problem);
        } catch (RuntimeException | AssertionError | InternalError e) {
          // Survive one bad round: report it and try again shortly rather than die silently.
          log.error("Reading the journal failed; retrying in 1s", e);
          LockSupport.parkNanos(this, RETRY_PARK_NANOS);
        }
      }
    } finally {
      if (tailer != null) {
        tailer.close();
      }
    }
  }

  private static final String STALLED = "stalled";

  /**
   * Reads up to {@code wanted} entries into {@code batch}; returns why it stopped early if that is
   * a problem ({@link #STALLED}: nothing to read though the writer published more), else null.
   */
  private String read(ExcerptTailer tailer, int wanted, List<JournalEntry> batch) {
    assert Thread.currentThread() == thread : "the tailer belongs to the reader thread";
    long limit = writer.publishedIndex();
    while (batch.size() < wanted) {
      try (DocumentContext dc = tailer.readingDocument()) {
        if (!dc.isPresent()) {
          return limit > last && batch.isEmpty() ? STALLED : null;
        }
        long index = dc.index();
        if (index > limit) {
          dc.rollbackOnClose(); // not durable yet: read it again once published
          return null;
        }
        if (!dc.isData()) {
          continue;
        }
        if (!follows(last, index)) {
          dc.rollbackOnClose();
          return "entry " + hex(index) + " does not follow " + hex(last);
        }
        JournalEntry entry;
        try {
          entry = JournalCodec.read(dc.wire().bytes(), index);
        } catch (CorruptEntryException e) {
          stats.damaged();
          log.error("{}; skipping it", e.getMessage());
          entry = new DamagedEntry(index, e.getMessage());
        }
        batch.add(entry);
        last = index;
      }
    }
    return null;
  }

  /** Whether {@code index} is the entry that must come right after {@code after}. */
  private boolean follows(long after, long index) {
    if (after != NONE && roll.toCycle(after) == roll.toCycle(index)) {
      return index == after + 1;
    }
    return index == expectedAfter(after);
  }

  /**
   * The index of the entry that follows {@code after} in the files present, or NONE when no file
   * holds one (yet). Touches files: called only where a file ends.
   */
  private long expectedAfter(long after) {
    assert Confinement.onThread(thread);
    queue.refreshDirectoryListing(); // Chronicle's may be stale after files went and came back
    int from = Integer.MIN_VALUE;
    if (after != NONE) {
      from = roll.toCycle(after);
      if (!quarantined.contains(from)) {
        long n = entriesIn(from);
        if (n == UNKNOWN || n > roll.toSequenceNumber(after) + 1) {
          return after + 1;
        }
        if (n == NO_FILE && checkpoint.indexSeenByOthers() < after) {
          // Housekeeping deletes a file only once all of it is forwarded: this one vanished.
          noteVanished(from, after);
        }
      }
    }
    for (int c : JournalFiles.cycles(dir, roll)) {
      if (c > from && !quarantined.contains(c) && (entriesIn(c) > 0 || entriesIn(c) == UNKNOWN)) {
        return roll.toIndex(c, 0);
      }
    }
    return NONE;
  }

  private int vanishedCycle = Integer.MIN_VALUE;

  private void noteVanished(int cycle, long after) {
    assert Confinement.onThread(thread);
    if (vanishedCycle == cycle) {
      return;
    }
    vanishedCycle = cycle;
    stats.damaged();
    log.error(
        "Journal file of cycle {} vanished before the gateway had forwarded what follows entry {}:"
            + " those entries are lost to the journal; reading goes on with the next file",
        cycle,
        hex(after));
  }

  private static final long NO_FILE = -1;
  private static final long UNKNOWN = -2;

  /** Entries in the file of {@code cycle}: {@link #NO_FILE}, or {@link #UNKNOWN} if unreadable. */
  private long entriesIn(int cycle) {
    assert Confinement.onThread(thread);
    if (!Files.exists(JournalFiles.fileOf(dir, roll, cycle))) {
      return NO_FILE;
    }
    try {
      return Math.max(0, counter.excerptsInCycle(cycle));
    } catch (RuntimeException | AssertionError | InternalError e) {
      return UNKNOWN; // damaged framing: Chronicle cannot count past it
    }
  }

  /**
   * The first problem since the last entry handed on re-positions after it (Chronicle's view of the
   * directory may be stale); a second one means the expected entry cannot be read: repair.
   */
  private void recover(ExcerptTailer tailer, String problem) {
    assert Thread.currentThread() == thread : "repairs run on the reader thread";
    queue.refreshDirectoryListing();
    if (++problems <= REPOSITIONS) {
      if (problems == 1) {
        log.warn("Journal reader re-positions after entry {}: {}", hex(last), problem);
      } else {
        LockSupport.parkNanos(this, REPOSITION_PARK_NANOS); // files may be on their way back
        // A tailer keeps the store and cycle it was in: after files went and came back it can go
        // on missing the first of them. A new one starts from the refreshed directory listing.
        this.tailer.close();
        this.tailer = queue.createTailer();
        tailer = this.tailer;
      }
      positionAfter(tailer, last);
      return;
    }
    long missing = expectedAfter(last);
    if (missing == NONE) {
      positionAfter(tailer, last); // nothing left to read after all (files went meanwhile)
      problems = 0;
      return;
    }
    int cycle = roll.toCycle(missing);
    if (cycle >= queue.cycle()) {
      // The writer may still append to this file: moving it now would strand those appends.
      if (!waitingLogged) {
        waitingLogged = true;
        log.error(
            "Journal entry {} cannot be read ({}); its file is repaired once the writer has moved"
                + " on to its next file",
            hex(missing),
            problem);
      }
      LockSupport.parkNanos(this, RETRY_PARK_NANOS);
      positionAfter(tailer, last);
      return;
    }
    try {
      repair(cycle, missing, problem);
    } catch (IOException e) {
      log.error(
          "Repairing journal file of cycle {} failed; retrying in 1s: {}", cycle, e.toString());
      LockSupport.parkNanos(this, RETRY_PARK_NANOS);
      return;
    }
    queue.refreshDirectoryListing();
    positionAfter(tailer, last);
    problems = 0;
  }

  /**
   * Appends the readable entries of {@code cycle} from {@code missing} on again, durably and in
   * order, then moves the file to quarantine.
   */
  private void repair(int cycle, long missing, String problem) throws IOException {
    assert Confinement.onThread(thread);
    Path file = JournalFiles.fileOf(dir, roll, cycle);
    long entries = entriesIn(cycle);
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
        if (!running) {
          return; // closing: the file stays, the next start meets it again
        }
      }
      salvaged += reappend(chunk);
    }
    if (!running) {
      return;
    }
    Path quarantine =
        TailRepair.quarantineDir(dir)
            .resolve(file.getFileName() + "." + System.currentTimeMillis());
    Files.createDirectories(quarantine);
    Files.move(file, quarantine.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    quarantined.add(cycle);
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
    assert Confinement.onThread(thread);
    List<JournalEvent> left = events;
    while (!left.isEmpty() && running) {
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

  /** Moves the tailer to the first entry after {@code after} (NONE: the journal's start). */
  private void positionAfter(ExcerptTailer tailer, long after) {
    assert Confinement.onThread(thread);
    int cycle = after == NONE ? Integer.MIN_VALUE : roll.toCycle(after);
    try {
      if (after != NONE && !quarantined.contains(cycle) && tailer.moveToIndex(after)) {
        try (DocumentContext dc = tailer.readingDocument()) {
          // consume the entry itself: it was handed on (or forwarded) already
        }
        return;
      }
    } catch (RuntimeException | AssertionError | InternalError e) {
      // its file cannot be read there: go on with the next file
    }
    // Its file is gone (retention deleted it, or quarantine): everything left is in later files.
    // By the files present, not toStart(): Chronicle's first cycle may be stale.
    for (int c : JournalFiles.cycles(dir, roll)) {
      if (c > cycle && !quarantined.contains(c) && tailer.moveToCycle(c)) {
        return;
      }
    }
    if (after == NONE) {
      tailer.toStart();
    } else {
      tailer.toEnd();
    }
  }

  private static String hex(long index) {
    return index == NONE ? "(none)" : Long.toHexString(index);
  }

  /** Stops the reader thread and waits for it. Blocking. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
