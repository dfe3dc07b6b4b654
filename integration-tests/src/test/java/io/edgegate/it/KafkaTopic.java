package io.edgegate.it;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic back with a plain Kafka consumer, as a downstream service would. */
final class KafkaTopic {
  private KafkaTopic() {}

  /**
   * Reads every record from the beginning until at least {@code expected} arrived (or the timeout
   * passed), then drains a moment longer so that duplicates show up too.
   */
  static List<ConsumerRecord<String, byte[]>> readAll(
      String bootstrapServers, String topic, int expected, Duration timeout) {
    return readAll(bootstrapServers, topic, expected, timeout, false);
  }

  /** Like {@link #readAll(String, String, int, Duration)}; {@code committed}: read_committed. */
  static List<ConsumerRecord<String, byte[]>> readAll(
      String bootstrapServers, String topic, int expected, Duration timeout, boolean committed) {
    return readUntil(bootstrapServers, topic, out -> out.size() >= expected, timeout, committed);
  }

  /**
   * Reads every record from the beginning until {@code done} holds for what was read (or the
   * timeout passed), then to the log's end. A count is not enough where re-sent copies are
   * expected: they would make it up before the last events arrived.
   */
  static List<ConsumerRecord<String, byte[]>> readUntil(
      String bootstrapServers,
      String topic,
      Predicate<List<ConsumerRecord<String, byte[]>>> done,
      Duration timeout,
      boolean committed) {
    Properties p = new Properties();
    if (committed) {
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      long deadline = System.nanoTime() + timeout.toNanos();
      // The topic appears with the gateway's first delivery.
      Map<String, List<PartitionInfo>> topics =
          await()
              .atMost(timeout)
              .pollInterval(Duration.ofMillis(200))
              .until(() -> c.listTopics(Duration.ofSeconds(5)), t -> t.containsKey(topic));
      List<TopicPartition> partitions =
          topics.get(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      while (!done.test(out) && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // Anything beyond `expected` (a duplicate) would already be in the log: read to its end.
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
