package io.edgegate.gateway.observe;

import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.journal.BacklogProbe;
import io.edgegate.gateway.journal.Journal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
 * The backlog (journal entries Kafka has not acknowledged: the gateway's consumer lag), measured
 * every {@code admin.refreshInterval} on the observability thread and kept for gauges and health to
 * read; and the journal's disk use and limits, as the journal's housekeeping last measured them.
 * Measuring reads journal files, which is no work for an event loop or for a scrape: a scrape reads
 * the last measurement.
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
  static final String DISK_LIMIT = "edgegate.journal.disk.limit";
  static final String DISK_MIN_FREE = "edgegate.journal.disk.min.free";
  static final String REFUSING = "edgegate.journal.refusing";

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

  BacklogGauge(
      Journal journal,
      JournalConfig config,
      Clock clock,
      MeterRegistry registry,
      ScheduledExecutorService scheduler) {
    this.journal = journal;
    this.roll = config.roll;
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
    Gauge.builder(DISK_USAGE, this, BacklogGauge::diskUsage)
        .baseUnit("bytes")
        .description("Disk the journal's files occupy (they are sparse: less than their length)")
        .register(registry);
    Gauge.builder(DISK_FREE, this, BacklogGauge::diskFree)
        .baseUnit("bytes")
        .description("Free space on the journal's file system")
        .register(registry);
    if (config.maxBytes > 0) {
      Gauge.builder(DISK_LIMIT, config, c -> c.maxBytes)
          .baseUnit("bytes")
          .description("journal.maxBytes: at this use the journal takes no new events")
          .register(registry);
    }
    Gauge.builder(DISK_MIN_FREE, config, c -> c.minFreeDisk)
        .baseUnit("bytes")
        .description("journal.minFreeDisk: below this free space the journal takes no new events")
        .register(registry);
    Gauge.builder(REFUSING, journal, j -> j.writer().refusing() == null ? 0 : 1)
        .description("1 while the journal is at its disk limit and refuses new events")
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

  /** Journal bytes of the backlog at the last measurement (NaN before the first). */
  double bytes() {
    return bytes;
  }

  /** Age of the oldest unforwarded event, at the last measurement. */
  double oldestAgeSeconds() {
    long oldest = oldestReceivedAt;
    if (oldest < 0) {
      return events > 0 ? Double.NaN : 0;
    }
    return Math.max(0, clock.millis() - oldest) / 1000.0;
  }

  /** Free bytes at the journal's last measurement, NaN before the first. */
  double diskFree() {
    long free = journal.diskFreeBytes();
    return free < 0 ? Double.NaN : free;
  }

  /** Bytes the journal occupied at its last measurement, NaN before the first. */
  double diskUsage() {
    long used = journal.diskUsedBytes();
    return used < 0 ? Double.NaN : used;
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
      // "Backlog at start" is logged by the gateway before forwarding begins.
      if (failing) {
        failing = false;
        log.info("Measuring the backlog works again");
      }
    } catch (RuntimeException e) {
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
