package io.edgegate.gateway.trace;

import io.edgegate.gateway.journal.Checkpoint;
import io.edgegate.gateway.journal.JournalSummary;
import java.time.Instant;

/**
 * The journal as a trace saw it: the range it holds and its forward progress.
 *
 * @param firstIndex the oldest entry's index, or -1 when empty
 * @param headIndex the newest entry's index, or -1 when empty
 * @param oldest the oldest entry's receive time, or null
 * @param newest the newest entry's receive time, or null
 * @param checkpoint the last index Kafka acknowledged, or {@link Checkpoint#NONE}
 * @param backlog entries after the checkpoint
 */
public record JournalView(
    String dir,
    long firstIndex,
    long headIndex,
    Instant oldest,
    Instant newest,
    long checkpoint,
    long backlog) {

  /** The view of a journal summary. */
  public static JournalView of(JournalSummary s) {
    return new JournalView(
        s.dir().toString(),
        s.firstIndex(),
        s.headIndex(),
        s.oldestReceivedAt(),
        s.newestReceivedAt(),
        s.checkpointIndex(),
        s.backlog());
  }

  public boolean empty() {
    return headIndex < 0;
  }
}
