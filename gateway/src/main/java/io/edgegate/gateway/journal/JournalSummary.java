package io.edgegate.gateway.journal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What {@code edgegate journal inspect} reports: a journal's extent, forward progress and disk use
 * at one moment. Indexes are Chronicle indexes (roll cycle in the high bits, sequence in the low).
 *
 * @param dir the journal directory
 * @param rollCycle the roll cycle its files were written with (e.g. {@code FAST_HOURLY})
 * @param entries entries in the journal, damaged ones included
 * @param firstIndex index of the oldest entry, or -1 when the journal is empty
 * @param headIndex index of the newest entry, or -1 when the journal is empty
 * @param checkpointIndex last index Kafka acknowledged, or {@link Checkpoint#NONE}
 * @param backlog entries after the checkpoint (not yet acknowledged by Kafka)
 * @param fileCount journal files, one per roll cycle that received events
 * @param firstFile the oldest file, or null when there is none
 * @param lastFile the newest file, or null when there is none
 * @param diskBytes bytes the journal directory occupies on disk, or -1 when {@code du} failed
 * @param apparentBytes the sum of the files' lengths (they are sparse: far more than on disk)
 * @param oldestReceivedAt receive time of the first decodable entry, or null
 * @param newestReceivedAt receive time of the last decodable entry, or null
 * @param quarantined files {@code TailRepair} moved out of the journal, oldest first
 * @param damagedEntries entries that cannot be read, or -1 when not counted: only a journal that
 *     defeats Chronicle's index look-ups is read entry by entry, and so counted
 * @param problem what defeated the look-ups, or null
 */
public record JournalSummary(
    Path dir,
    String rollCycle,
    long entries,
    long firstIndex,
    long headIndex,
    long checkpointIndex,
    long backlog,
    int fileCount,
    CycleFile firstFile,
    CycleFile lastFile,
    long diskBytes,
    long apparentBytes,
    Instant oldestReceivedAt,
    Instant newestReceivedAt,
    List<QuarantinedFile> quarantined,
    long damagedEntries,
    String problem) {

  /** One journal file: the roll cycle it holds and when that cycle began. */
  public record CycleFile(String name, int cycle, Instant start) {}

  /** A damaged journal file kept for inspection, with its length and last modification. */
  public record QuarantinedFile(Path path, long bytes, Instant modified) {}
}
