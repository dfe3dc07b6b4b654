package io.edgegate.gateway.observe;

import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.journal.BacklogProbe;
import io.edgegate.gateway.journal.Journal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backlog (journal entries Kafka has not acknowledged: the gateway's consumer lag) and the
 * journal's disk, measured every {@code admin.refreshInterval} on the observability thread and kept
 * for gauges and health to read. Measuring reads journal files, which is no work for an event loop
 * or for a scrape; a scrape reads the last measurement.
 *
 * <p>The probe belongs to the scheduler's single thread: opened, used and closed there.
 */
final class BacklogGauge implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BacklogGauge.class);

  static final String EVENTS = "edgegate.backlog.events";
  static final String BYTES = "edgegate.backlog";
  static final String OLDEST_AGE = "edgegate.backlog.oldest.age";
  static final String DISK_USAGE = "edgegate.journal.disk.usage";
  static final String DISK_FREE = "edgegate.journal.disk.free";
  static final String DISK_SIZE = "edgegate.journal.disk.size";

  private final Journal journal;
  private final JournalConfig.Roll roll;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private BacklogProbe probe; // scheduler thread only
  private ScheduledFuture<?> task;
  private boolean failing; // scheduler thread only

  // The last measurement; NaN until the first one, and after a failed one (a gap, not a lie).
  private volatile double events = Double.NaN;
  private volatile double bytes = Double.NaN;
  private volatile long oldestReceivedAt = -1;
  private volatile double diskUsage = Double.NaN;
  private volatile double diskFree = Double.NaN;
  private volatile double diskSize = Double.NaN;

  BacklogGauge(
      Journal journal,
      JournalConfig.Roll roll,
      Clock clock,
      MeterRegistry registry,
      ScheduledExecutorService scheduler) {
    this.journal = journal;
    this.roll = roll;
    this.clock = clock;
    this.scheduler = scheduler;
    Gauge.builder(EVENTS, this, g -> g.events)
        .description(
            "Journal entries after the checkpoint: received, not yet acknowledged by Kafka")
        .register(registry);
    Gauge.builder(BYTES, this, g -> g.bytes)
        .baseUnit("bytes")
        .description("Journal bytes taken by the backlog")
        .register(registry);
    Gauge.builder(OLDEST_AGE, this, BacklogGauge::oldestAgeSeconds)
        .baseUnit("seconds")
        .description("Age of the oldest event not yet acknowledged by Kafka (0 without backlog)")
        .register(registry);
    Gauge.builder(DISK_USAGE, this, g -> g.diskUsage)
        .baseUnit("bytes")
        .description("Size of the journal's files (Chronicle grows them in chunks)")
        .register(registry);
    Gauge.builder(DISK_FREE, this, g -> g.diskFree)
        .baseUnit("bytes")
        .description("Space left for the journal on its file system")
        .register(registry);
    Gauge.builder(DISK_SIZE, this, g -> g.diskSize)
        .baseUnit("bytes")
        .description("Size of the journal's file system")
        .register(registry);
  }

  /** Measures now and then every {@code interval}. */
  void start(Duration interval) {
    task =
        scheduler.scheduleWithFixedDelay(
            this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Backlog entries at the last measurement (NaN before the first). */
  double events() {
    return events;
  }

  /** Age of the oldest unforwarded event, at the last measurement. */
  double oldestAgeSeconds() {
    long oldest = oldestReceivedAt;
    if (oldest < 0) {
      return events > 0 ? Double.NaN : 0;
    }
    return Math.max(0, clock.millis() - oldest) / 1000.0;
  }

  double diskFree() {
    return diskFree;
  }

  double diskUsage() {
    return diskUsage;
  }

  private void refresh() {
    try {
      if (probe == null) {
        probe = BacklogProbe.open(journal.dir(), roll);
      }
      BacklogProbe.Backlog b = probe.measure(journal.checkpoint().index());
      oldestReceivedAt = b.oldestReceivedAtMillis();
      bytes = b.bytes();
      events = b.events();
      measureDisk(journal.dir());
      if (failing) {
        failing = false;
        log.info("Measuring the backlog works again");
      }
    } catch (RuntimeException | IOException e) {
      // Survive one bad measurement; show a gap rather than an old value.
      events = Double.NaN;
      bytes = Double.NaN;
      oldestReceivedAt = -1;
      if (!failing) {
        failing = true;
        log.warn("Measuring the backlog failed; its gauges show no value until it works", e);
      }
    }
  }

  private void measureDisk(Path dir) throws IOException {
    long usage = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (Files.isRegularFile(f)) {
          usage += Files.size(f);
        }
      }
    }
    FileStore store = Files.getFileStore(dir);
    diskUsage = usage;
    diskFree = store.getUsableSpace();
    diskSize = store.getTotalSpace();
  }

  /** Stops measuring and releases the probe's files, on the thread that owns it. Blocking. */
  @Override
  public void close() {
    if (task != null) {
      task.cancel(false);
    }
    try {
      scheduler
          .submit(
              () -> {
                if (probe != null) {
                  probe.close();
                  probe = null;
                }
              })
          .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.warn("Closing the backlog probe failed: {}", e.toString());
    }
  }
}
