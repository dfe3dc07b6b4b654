package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.nio.file.Path;
import java.time.Duration;

/** {@code journal.*}: the Chronicle Queue every event is written to before it is acknowledged. */
public final class JournalConfig {

  /** When an appended event counts as durable, and so when QoS 1/2 acknowledgements go out. */
  public enum Sync {
    /** Acknowledge once the event is in the memory-mapped journal: survives a process crash. */
    NONE,
    /**
     * Group commit: a group is fsynced as soon as the previous fsync returned and the writer caught
     * up, closed after {@code syncInterval} or {@code syncBytes} at the latest; acks wait for it.
     */
    BATCH,
    /** Fsync each batch of appends before acknowledging any of it. */
    ALWAYS
  }

  /** How often the journal starts a new file; old files are deleted whole. */
  public enum Roll {
    FIVE_MINUTELY,
    HOURLY,
    DAILY
  }

  @KeyDoc(
      value =
          "The journal directory: local disk, never shared between gateways, never a "
              + "network file system (Chronicle Queue memory-maps it).",
      defaultValue = "`<gateway.dataDir>/journal`")
  public Path dir;

  @KeyDoc(
      "When an appended event counts as durable, and so when QoS 1/2 acknowledgements "
          + "go out. `none`: once in the memory-mapped journal (survives a process crash, not"
          + " a power cut; lowest latency). `batch`: after the group fsync that covers it; a "
          + "group is synced as soon as the writer caught up and the previous fsync returned,"
          + " closed after `syncInterval` or `syncBytes` at the latest (survives a power cut;"
          + " ack latency about one fsync). `always`: each batch of appends is fsynced before"
          + " any of it is acknowledged.")
  public Sync sync = Sync.BATCH;

  @KeyDoc(
      "With `sync: batch`: the longest a group collects appends before it is fsynced; "
          + "an upper bound, not a wait (1ms to 60s).")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration syncInterval = Duration.ofMillis(10);

  @KeyDoc(
      "With `sync: batch`: the least time from the start of one fsync to the start of "
          + "the next (0 = start as soon as the previous one returned). Slow media that wear "
          + "with every fsync (an SD card) set it so that a light, steady load costs a "
          + "bounded number of fsyncs per second; an acknowledgement then waits up to this "
          + "long. At most `syncInterval`.")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration syncMinInterval = Duration.ZERO;

  @KeyDoc(
      "With `sync: batch`: a group closes (is fsynced) once this much has been "
          + "appended; an upper bound, not a wait.")
  @JsonDeserialize(using = ConfigValues.SizeDeserializer.class)
  public long syncBytes = 1024 * 1024;

  @KeyDoc(
      "Journal file period. Files are deleted whole: choose it so that one file is a "
          + "small part of `maxBytes`.")
  public Roll roll = Roll.HOURLY;

  @KeyDoc(
      "Events received and not yet settled (appended, and their outcome delivered on "
          + "the device's event loop) are held in memory up to this many bytes; above it the "
          + "device sockets are paused (TCP backpressure) until the journal writer and the "
          + "event loops catch up; at twice this, appends are refused. At least 64KiB.")
  @JsonDeserialize(using = ConfigValues.SizeDeserializer.class)
  public long maxPendingBytes = 16L * 1024 * 1024;

  @KeyDoc(
      "The most disk the journal may use. At the limit the gateway takes no new QoS 1/2"
          + " events (device sockets pause, MQTT 5 devices get 0x97 quota exceeded; QoS 0 "
          + "events are dropped and counted) instead of deleting events Kafka does not have "
          + "yet; it resumes by itself once forwarded files can be deleted. Space is freed a "
          + "whole file at a time: pick `roll` so that one file is a small part of this. 0 = "
          + "no limit besides `minFreeDisk`.")
  @JsonDeserialize(using = ConfigValues.SizeDeserializer.class)
  public long maxBytes = 8L * 1024 * 1024 * 1024;

  @KeyDoc(
      "Free space the journal leaves on its file system; below it new events are "
          + "refused, as at `maxBytes`.")
  @JsonDeserialize(using = ConfigValues.SizeDeserializer.class)
  public long minFreeDisk = 256L * 1024 * 1024;

  @KeyDoc(
      "How long forwarded events stay in the journal (for `edgegate journal replay`); "
          + "their file is deleted once every event in it is forwarded and older than this. "
          + "Under the disk limit, older forwarded files go first, retention or not.")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration retention = Duration.ofHours(1);

  @KeyDoc("How often disk use is measured and expired files deleted (100ms to 10m).")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration housekeepingInterval = Duration.ofSeconds(1);

  void validate(Problems problems) {
    problems.require(sync != null, "journal.sync", "must be one of none, batch, always");
    problems.require(roll != null, "journal.roll", "must be one of five_minutely, hourly, daily");
    problems.require(
        syncInterval != null && syncInterval.toMillis() >= 1 && syncInterval.toSeconds() <= 60,
        "journal.syncInterval",
        "must be from 1ms to 60s");
    problems.require(
        syncMinInterval != null
            && !syncMinInterval.isNegative()
            && (syncInterval == null || syncMinInterval.compareTo(syncInterval) <= 0),
        "journal.syncMinInterval",
        "must be from 0 to journal.syncInterval (" + syncInterval + ")");
    problems.positive(syncBytes, "journal.syncBytes");
    problems.require(
        maxPendingBytes >= 64 * 1024,
        "journal.maxPendingBytes",
        "must be at least 64KiB (was " + maxPendingBytes + ")");
    problems.require(
        maxBytes == 0 || maxBytes >= 1024 * 1024,
        "journal.maxBytes",
        "must be 0 (no limit) or at least 1MiB (was " + maxBytes + ")");
    problems.require(minFreeDisk >= 0, "journal.minFreeDisk", "must not be negative");
    problems.require(
        retention != null && !retention.isNegative(), "journal.retention", "must be 0s or more");
    problems.require(
        housekeepingInterval != null
            && housekeepingInterval.toMillis() >= 100
            && housekeepingInterval.toMinutes() <= 10,
        "journal.housekeepingInterval",
        "must be from 100ms to 10m");
  }

  /** The journal directory, resolved against the gateway's data directory. */
  public Path dir(Path dataDir) {
    return dir != null ? dir : dataDir.resolve("journal");
  }
}
