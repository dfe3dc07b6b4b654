package io.edgegate.gateway.forward;

import org.apache.kafka.clients.producer.Producer;

/**
 * Told when forwarding replaces its Kafka producer (a fenced transactional producer, one whose
 * errors do not clear), so that what watches a producer — its meters — follows the one in use.
 * Implementations must not block long: the thread that made the replacement (a Vert.x worker) tells
 * them.
 */
@FunctionalInterface
public interface ProducerListener {
  /** {@code replaced} is closed or about to be; {@code replacement} is the producer from now on. */
  void onProducerReplaced(Producer<?, ?> replaced, Producer<?, ?> replacement);

  ProducerListener NONE = (replaced, replacement) -> {};
}
