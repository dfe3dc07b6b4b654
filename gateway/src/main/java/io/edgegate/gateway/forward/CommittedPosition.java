package io.edgegate.gateway.forward;

import io.edgegate.gateway.journal.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The journal position that exactly-once delivery committed to Kafka: each transaction writes, to a
 * compacted topic keyed by gateway id, the index of the last journal entry it covers. Reading it
 * back with {@code read_committed} says exactly where to resume. Blocking: call on a worker.
 */
final class CommittedPosition implements TransactionPosition {
  private final String topic;
  private final String gatewayId;
  private final Map<String, Object> clientSettings;
  private final Duration timeout;

  /**
   * @param clientSettings the producer's settings; connection and security keys are reused
   */
  CommittedPosition(
      String topic, String gatewayId, Map<String, Object> clientSettings, Duration timeout) {
    this.topic = topic;
    this.gatewayId = gatewayId;
    this.clientSettings = connectionSettings(clientSettings);
    this.timeout = timeout;
  }

  /** The record a transaction carries to commit its position. */
  @Override
  public ProducerRecord<String, byte[]> record(long lastIndex) {
    return new ProducerRecord<>(
        topic, gatewayId, Long.toString(lastIndex).getBytes(StandardCharsets.US_ASCII));
  }

  /** Creates the compacted offsets topic if it is missing. */
  @Override
  public void ensureTopic() throws InterruptedException, ExecutionException {
    CompactedTopic.ensure(clientSettings, topic, timeout);
  }

  /** The last committed journal index of this gateway, or {@link Checkpoint#NONE}. */
  @Override
  public long read() {
    Map<String, Object> props = new HashMap<>(clientSettings);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    long committed = Checkpoint.NONE;
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp), timeout).get(tp); // the last stable offset
      long deadline = System.nanoTime() + timeout.toNanos();
      while (c.position(tp, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new org.apache.kafka.common.errors.TimeoutException(
              "reading " + topic + " took longer than " + timeout);
        }
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (gatewayId.equals(r.key()) && r.value() != null) {
            committed = Long.parseLong(new String(r.value(), StandardCharsets.US_ASCII));
          }
        }
      }
    }
    return committed;
  }

  private static Map<String, Object> connectionSettings(Map<String, Object> producer) {
    Map<String, Object> out = new HashMap<>();
    producer.forEach(
        (k, v) -> {
          if (k.equals("bootstrap.servers")
              || k.startsWith("security.")
              || k.startsWith("sasl.")
              || k.startsWith("ssl.")
              || k.equals("client.dns.lookup")) {
            out.put(k, v);
          }
        });
    return out;
  }
}
