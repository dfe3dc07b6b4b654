package io.edgegate.gateway.forward;

/**
 * Why the forwarder closed its Kafka producer and opened a new one: the {@code reason} tag of
 * {@code edgegate.forward.producer.replacements}.
 */
public enum ProducerReplacement {
  /** The idempotent producer's sequence error did not clear after a re-send. */
  OUT_OF_ORDER_SEQUENCE("out-of-order-sequence");

  private final String tag;

  ProducerReplacement(String tag) {
    this.tag = tag;
  }

  /** The {@code reason} tag. */
  public String tag() {
    return tag;
  }
}
