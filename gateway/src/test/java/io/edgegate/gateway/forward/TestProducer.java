package io.edgegate.gateway.forward;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka's {@link MockProducer} without auto-completion (the test completes or fails each send),
 * plus what a broker that is away does to a send: it fails before the record enters the buffer,
 * through the callback and before {@code send} returns, as {@code KafkaProducer} reports a metadata
 * timeout.
 */
final class TestProducer extends MockProducer<String, byte[]> {
  /** Every record that reached {@code send}, by value. */
  final List<String> attempts = new ArrayList<>();

  /** Records Kafka acknowledged, by value, in the order it did. */
  final List<String> delivered = new ArrayList<>();

  /** Which sends fail at once, as with Kafka away. */
  volatile Predicate<ProducerRecord<String, byte[]>> away = r -> false;

  TestProducer() {
    super(false, null, new StringSerializer(), new ByteArraySerializer());
  }

  static String value(ProducerRecord<String, byte[]> r) {
    return r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
  }

  void awayFor(String value) {
    away = r -> value.equals(value(r));
  }

  void allAway() {
    away = r -> true;
  }

  void back() {
    away = r -> false;
  }

  /** Completes the {@code n} oldest sends. */
  void complete(int n) {
    for (int i = 0; i < n; i++) {
      if (!completeNext()) {
        throw new AssertionError("no send left to complete after " + i);
      }
    }
  }

  @Override
  public synchronized Future<RecordMetadata> send(
      ProducerRecord<String, byte[]> record, Callback callback) {
    attempts.add(value(record));
    if (away.test(record)) {
      TimeoutException e =
          new TimeoutException("Topic " + record.topic() + " not present in metadata");
      callback.onCompletion(null, e);
      return CompletableFuture.failedFuture(e);
    }
    return super.send(
        record,
        (metadata, error) -> {
          if (error == null) {
            delivered.add(value(record));
          }
          callback.onCompletion(metadata, error);
        });
  }
}
