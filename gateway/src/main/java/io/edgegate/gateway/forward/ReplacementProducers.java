package io.edgegate.gateway.forward;

import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;

/**
 * Makes the producers that replace the one in use and tells a {@link ProducerListener} of each
 * replacement. Forwarding asks for a new producer only once it dropped the last one, so the last
 * made is the one in use. Thread-safe (producers are made on Vert.x workers).
 */
public final class ReplacementProducers<K, V> implements Supplier<Producer<K, V>> {
  private final Supplier<Producer<K, V>> make;
  private final ProducerListener listener;
  private Producer<K, V> current;

  /**
   * @param first the producer in use now
   * @param make makes a new producer; blocking
   */
  public ReplacementProducers(
      Producer<K, V> first, Supplier<Producer<K, V>> make, ProducerListener listener) {
    this.current = first;
    this.make = Objects.requireNonNull(make);
    this.listener = Objects.requireNonNull(listener);
  }

  @Override
  public synchronized Producer<K, V> get() {
    Producer<K, V> replacement = make.get();
    Producer<K, V> replaced = current;
    current = replacement;
    listener.onProducerReplaced(replaced, replacement);
    return replacement;
  }
}
