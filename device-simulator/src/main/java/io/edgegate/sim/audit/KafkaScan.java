package io.edgegate.sim.audit;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics with a plain {@link KafkaConsumer}, as any downstream service would: partitions
 * assigned directly (no consumer group, nothing committed), from the first record at or after
 * {@code fromMillis}, up to the end offsets seen at the start; then on, as long as {@code patience}
 * (asked anew after each poll) has not passed since the last {@code progress}: live audits start
 * while the gateway may still be forwarding. Runs on the caller's thread; <b>not thread-safe</b>.
 */
final class KafkaScan {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
  private static final long NOTE_EVERY_NANOS = 5_000_000_000L;
  private static final long RECHECK_TOPICS_NANOS = 1_000_000_000L;

  private final AuditOptions options;
  private final PrintStream notes;

  KafkaScan(AuditOptions options, PrintStream notes) {
    this.options = options;
    this.notes = notes;
  }

  /**
   * @param fromMillis null: from the beginning
   * @param patience how long to read on without progress, in nanoseconds; 0: stop
   * @param progress grows when a wanted record is found
   */
  void scan(
      Long fromMillis,
      Consumer<ConsumerRecord<byte[], byte[]>> sink,
      LongSupplier patience,
      LongSupplier progress) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Set<TopicPartition> assigned = new HashSet<>();
      assignNew(consumer, assigned, fromMillis);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(assigned));
      long read = 0;
      long nextNote = System.nanoTime() + NOTE_EVERY_NANOS;
      // Up to the end as it was when we started.
      while (!reached(consumer, end)) {
        read += poll(consumer, sink);
        if (System.nanoTime() > nextNote) {
          notes.printf("audit: %,d records read%n", read);
          nextNote = System.nanoTime() + NOTE_EVERY_NANOS;
        }
      }
      // Then on, while events are missing and keep turning up.
      long lastProgress = System.nanoTime();
      long lastProgressValue = progress.getAsLong();
      long nextTopicCheck = System.nanoTime() + RECHECK_TOPICS_NANOS;
      boolean announced = false;
      for (long p = patience.getAsLong();
          p > 0 && System.nanoTime() - lastProgress < p;
          p = patience.getAsLong()) {
        if (!announced && p >= options.wait.toNanos()) {
          notes.printf(
              "audit: end of topic reached with acknowledged events missing; reading on for up to"
                  + " %s after the last one found%n",
              io.edgegate.sim.scenario.Values.format(options.wait));
          announced = true;
        }
        read += poll(consumer, sink);
        long now = progress.getAsLong();
        if (now != lastProgressValue) {
          lastProgressValue = now;
          lastProgress = System.nanoTime();
        }
        if (System.nanoTime() > nextTopicCheck) {
          assignNew(consumer, assigned, fromMillis); // a topic may appear with its first record
          nextTopicCheck = System.nanoTime() + RECHECK_TOPICS_NANOS;
        }
        if (System.nanoTime() > nextNote) {
          notes.printf("audit: %,d records read%n", read);
          nextNote = System.nanoTime() + NOTE_EVERY_NANOS;
        }
      }
    }
  }

  private Properties consumerProperties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // reading must not create
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "edgegate-sim-audit");
    p.putAll(options.consumerProperties);
    return p;
  }

  private void assignNew(
      KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> assigned, Long fromMillis) {
    List<TopicPartition> fresh = new ArrayList<>();
    for (String topic : options.topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
      if (infos == null) {
        continue;
      }
      for (PartitionInfo i : infos) {
        TopicPartition tp = new TopicPartition(topic, i.partition());
        if (!assigned.contains(tp)) {
          fresh.add(tp);
        }
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    assigned.addAll(fresh);
    consumer.assign(assigned);
    if (fromMillis == null) {
      consumer.seekToBeginning(fresh);
      return;
    }
    // The end offsets are taken before the time query, and a partition with nothing at or after
    // `from` is read from there. seekToEnd would be lazy: it resolves at the next poll, and a
    // record the gateway writes in between (the audit starts while it is still forwarding) would
    // be skipped and reported lost.
    Map<TopicPartition, Long> endBefore = consumer.endOffsets(fresh);
    Map<TopicPartition, Long> query = new HashMap<>();
    fresh.forEach(tp -> query.put(tp, fromMillis));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
    for (TopicPartition tp : fresh) {
      OffsetAndTimestamp o = found.get(tp);
      consumer.seek(tp, o != null ? o.offset() : endBefore.get(tp));
    }
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static long poll(
      KafkaConsumer<byte[], byte[]> consumer, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    long n = 0;
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
      sink.accept(r);
      n++;
    }
    return n;
  }
}
