package io.edgegate.gateway.forward;

/**
 * Why the forwarder gave up on sending an event: the {@code reason} tag it adds to {@code
 * edgegate.events.dropped} (beside the MQTT side's reasons). The event stays in the journal.
 */
public enum ForwardDrop {
  /** Kafka refused the event for good, and refused its dead letter too. */
  DEAD_LETTER_REFUSED("dead-letter-refused");

  private final String tag;

  ForwardDrop(String tag) {
    this.tag = tag;
  }

  /** The {@code reason} tag. */
  public String tag() {
    return tag;
  }
}
