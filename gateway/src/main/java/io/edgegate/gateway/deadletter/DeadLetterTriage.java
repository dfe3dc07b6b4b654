package io.edgegate.gateway.deadletter;

import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.pipeline.EventProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Decides what becomes of one dead letter in a replay: skipped (another gateway's, not taken by the
 * filter, already replayed, not replayable), run through the current pipeline and still failing —
 * with the reason it fails with now — or passed, with the record to send. Every outcome but
 * "passed" is counted here; a pass counts when its send is committed (or at once in a dry run).
 *
 * <p>Used by the replaying thread only: the processor is confined to its first caller, and its
 * duplicate memory starts empty, so a message id repeated among the dead letters of one run is
 * suppressed as the gateway would.
 */
final class DeadLetterTriage {
  private final String gatewayId;
  private final String deadLetterTopic;
  private final ReplayFilter filter;
  private final EventProcessor processor;
  private final Clock clock;

  DeadLetterTriage(
      String gatewayId,
      String deadLetterTopic,
      ReplayFilter filter,
      EventProcessor processor,
      Clock clock) {
    this.gatewayId = gatewayId;
    this.deadLetterTopic = deadLetterTopic;
    this.filter = filter;
    this.processor = processor;
    this.clock = clock;
  }

  /**
   * The record to send for {@code d}, or null when it is not to be sent (counted in {@code
   * summary}). {@code replayed} holds the {@code ce_id}s replayed so far; a pass is added to it, so
   * a second copy of the same dead letter in this run counts as already replayed.
   */
  ProducerRecord<String, byte[]> judge(DeadLetter d, Set<String> replayed, ReplaySummary summary) {
    summary.countExamined();
    if (d.gateway() != null && !d.gateway().equals(gatewayId)) {
      summary.countOtherGateway(); // its ce_source and device registry are another gateway's
      return null;
    }
    if (!filter.admits(d)) {
      summary.countSkippedByFilters();
      return null;
    }
    if (d.ceId() != null && replayed.contains(d.ceId())) {
      summary.countAlreadyReplayed();
      return null;
    }
    DeadLetter.Restored restored = d.restore();
    if (restored instanceof DeadLetter.NotReplayable n) {
      summary.countNotReplayable("not replayable: " + n.why());
      return null;
    }
    JournalEvent event = ((DeadLetter.Replayable) restored).event();
    ProducerRecord<String, byte[]> out = processor.process(event);
    if (out == null) {
      summary.countRepeat();
      return null;
    }
    Header now = out.headers().lastHeader(DeadLetter.REASON);
    if (now != null || out.topic().equals(deadLetterTopic)) {
      Header error = out.headers().lastHeader(DeadLetter.ERROR);
      summary.countStillFailing(d, text(now), text(error));
      return null;
    }
    if (event.expiredAt(clock.millis())) {
      summary.countExpired(); // the gateway would not send it either (MQTT 5 Message Expiry)
      return null;
    }
    out.headers().add(DeadLetter.REPLAYED_FROM, d.position().getBytes(StandardCharsets.UTF_8));
    replayed.add(d.ceId());
    return out;
  }

  private static String text(Header h) {
    return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }
}
