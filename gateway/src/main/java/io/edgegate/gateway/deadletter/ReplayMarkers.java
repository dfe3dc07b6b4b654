package io.edgegate.gateway.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.gateway.forward.CompactedTopic;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The record of what was replayed: a compacted topic, {@code <dead-letter topic>.replayed}, one
 * record per replayed dead letter, keyed by its {@code ce_id} (value: where it went, where it came
 * from, when). Written in the same Kafka transaction as the replayed event, read with {@code
 * read_committed}: a marker exists exactly when its event was committed to its topic. Compaction
 * keeps one record per {@code ce_id}, so the topic grows with the events replayed, not with runs.
 * Stateless and blocking: for the replaying thread, never an event loop.
 */
final class ReplayMarkers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReplayMarkers() {}

  /** The marker topic of {@code deadLetterTopic}. */
  static String topic(String deadLetterTopic) {
    return deadLetterTopic + ".replayed";
  }

  /** The marker of {@code d}, replayed as {@code sent}. */
  static ProducerRecord<String, byte[]> marker(
      String topic, DeadLetter d, ProducerRecord<String, byte[]> sent, Instant at) {
    ObjectNode v = JSON.createObjectNode();
    v.put("topic", sent.topic());
    v.put("from", d.position());
    v.put("reason", d.reason());
    v.put("replayedAt", at.toString());
    try {
      return new ProducerRecord<>(topic, d.ceId(), JSON.writeValueAsBytes(v));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree of strings always serializes
    }
  }

  /** Creates the compacted marker topic if it is missing. */
  static void ensureTopic(Map<String, Object> connection, String topic, Duration timeout)
      throws InterruptedException, ExecutionException {
    CompactedTopic.ensure(connection, topic, timeout);
  }

  /** The {@code ce_id}s committed as replayed; empty when the topic does not exist yet. */
  static Set<String> read(Map<String, Object> consumerSettings, String topic, Duration timeout) {
    Set<String> out = new HashSet<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerSettings)) {
      TopicReader.readToEnd(
          c,
          topic,
          timeout,
          (ConsumerRecord<String, byte[]> r) -> {
            if (r.key() != null) {
              if (r.value() == null) {
                out.remove(r.key());
              } else {
                out.add(r.key());
              }
            }
            return true;
          });
    }
    return out;
  }
}
