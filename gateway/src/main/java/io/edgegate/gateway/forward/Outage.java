package io.edgegate.gateway.forward;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka takes what a forwarder sends, as the {@code kafkaAvailable} gauge and the log say
 * it: an outage is logged once when it starts and once when it ends, not once per retry. Both
 * delivery modes report through one.
 *
 * <p><b>Confined to the forward loop</b>: {@link #up} and {@link #down} are called on the loop and
 * assert it.
 */
final class Outage {
  private static final Logger log = LoggerFactory.getLogger(Outage.class);

  private final ForwardLoop loop;
  private final ForwardStats stats;
  private final String downMessage;
  private final String upMessage;
  private boolean outage;

  /**
   * @param downMessage logged when an outage starts, with the failure as its one argument
   * @param upMessage logged when it ends
   */
  Outage(ForwardLoop loop, ForwardStats stats, String downMessage, String upMessage) {
    this.loop = loop;
    this.stats = stats;
    this.downMessage = downMessage;
    this.upMessage = upMessage;
  }

  /** Kafka took work. Called on the loop. */
  void up() {
    assert loop.inLoop();
    if (outage) {
      outage = false;
      log.info(upMessage);
    }
    stats.kafkaAvailable(true);
  }

  /** Kafka failed work with {@code error}. Called on the loop. */
  void down(Throwable error) {
    assert loop.inLoop();
    if (!outage) {
      outage = true; // once per outage, not once per retry
      String why = SendFailure.unwrap(error).toString();
      log.warn(downMessage, why);
      stats.kafkaFailed(why);
    }
    stats.kafkaAvailable(false);
  }
}
