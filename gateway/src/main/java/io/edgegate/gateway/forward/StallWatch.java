package io.edgegate.gateway.forward;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports Kafka unavailable while the oldest work handed to it has waited longer than {@code
 * forward.unavailableAfter} for an answer. The producer retries some errors by itself (too few
 * in-sync replicas, a leader election), so no send fails meanwhile and nothing else would say that
 * Kafka takes nothing. <b>Confined to the forwarder's event loop.</b>
 */
final class StallWatch {
  private static final Logger log = LoggerFactory.getLogger(StallWatch.class);

  private final ForwardLoop loop;
  private final ForwardStats stats;
  private boolean stalled;
  private long timer = -1;

  StallWatch(ForwardLoop loop, ForwardStats stats) {
    this.loop = loop;
    this.stats = stats;
  }

  /**
   * Starts checking {@code waitingSinceNanos}: the {@link ForwardLoop#nanoTime()} at which the
   * oldest unanswered work was handed to Kafka, or 0 when nothing waits.
   */
  void start(Duration after, LongSupplier waitingSinceNanos) {
    assert loop.inLoop();
    long afterNanos = after.toNanos();
    timer =
        loop.setPeriodic(
            Math.max(100, Math.min(1000, after.toMillis() / 2)),
            () -> {
              long since = waitingSinceNanos.getAsLong();
              if (!stalled && since != 0 && loop.nanoTime() - since > afterNanos) {
                stalled = true;
                stats.kafkaAvailable(false);
                log.warn(
                    "Kafka has answered nothing for over {} ms; the journal holds the backlog"
                        + " meanwhile",
                    after.toMillis());
              }
            });
  }

  /** Kafka answered: acknowledged a send or committed a transaction. */
  void answered() {
    assert loop.inLoop();
    if (stalled) {
      stalled = false;
      log.info("Kafka answers again");
    }
  }

  void stop() {
    assert loop.inLoop();
    if (timer != -1) {
      loop.cancelTimer(timer);
      timer = -1;
    }
  }
}
