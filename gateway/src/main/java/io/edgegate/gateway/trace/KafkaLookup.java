package io.edgegate.gateway.trace;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.forward.ProducerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Finds records by {@code ce_id} in Kafka, many ids with one consumer. For each partition of the
 * topics asked about it looks up the first offset at the earliest time asked about minus a skew
 * ({@code offsetsForTimes}: a record cannot have been sent before its event was received), then
 * reads forward up to the end offset taken at the start, at most {@code maxRecords} records per
 * partition, and stops as soon as every id is found or the time limit passes. So the cost is the
 * records written since the earliest event asked about (within the bounds), not one consumer per
 * event. An event forwarded long after it was received (a backlog after an outage) lies that much
 * further on; the answer says when a partition was not searched to its end.
 *
 * <p>Only reads: the consumer is assigned partitions, has no group and commits nothing, and it
 * reads {@code read_committed} (what consumers of an exactly-once gateway see). Nothing on the
 * gateway's path changes. Blocking; one thread at a time.
 */
public final class KafkaLookup {
  /** One id to look for: in which topics, received at {@code sinceMillis} (or later). */
  public record Wanted(UUID id, long sinceMillis, Collection<String> topics) {}

  /** The records found per id (in the order read) and how far Kafka was asked. */
  public record Result(Map<UUID, List<TraceResult.KafkaRecord>> found, KafkaAnswer answer) {
    public List<TraceResult.KafkaRecord> of(UUID id) {
      return found.getOrDefault(id, List.of());
    }
  }

  private final Map<String, Object> settings;
  private final Duration timeout;
  private final long skewMillis;
  private final int maxRecords;

  /**
   * @param settings the consumer's client settings ({@link #settings})
   * @param timeout the whole look-up's limit: reaching Kafka, offset look-ups, the scan
   * @param skew how much earlier than the receive time to start (clocks of broker and gateway)
   * @param maxRecords records read at most per partition
   */
  public KafkaLookup(
      Map<String, Object> settings, Duration timeout, Duration skew, int maxRecords) {
    this.settings = Map.copyOf(settings);
    this.timeout = timeout;
    this.skewMillis = skew.toMillis();
    this.maxRecords = maxRecords;
  }

  /**
   * The consumer settings of a gateway's configuration: those of the producer's settings (so the
   * same address and security keys reach the cluster) that a consumer knows, and what a read-only
   * search needs.
   */
  public static Map<String, Object> settings(
      GatewayConfig config, String bootstrapServers, Duration timeout) {
    Map<String, Object> s = new HashMap<>();
    ProducerSettings.of(config, bootstrapServers)
        .forEach(
            (k, v) -> {
              if (ConsumerConfig.configNames().contains(k)) {
                s.put(k, v);
              }
            });
    s.put(ConsumerConfig.CLIENT_ID_CONFIG, "edgegate-" + config.gateway.id + "-trace");
    s.remove(ConsumerConfig.GROUP_ID_CONFIG);
    s.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    s.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    s.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    s.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    s.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    s.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    s.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    return s;
  }

  /** Looks for every id in {@code wanted}; Kafka out of reach is an answer, not an exception. */
  public Result find(Collection<Wanted> wanted) {
    TreeSet<String> topics = new TreeSet<>();
    wanted.forEach(w -> topics.addAll(w.topics()));
    long deadline = System.nanoTime() + timeout.toNanos();
    RecordScan scan = new RecordScan(wanted.stream().map(Wanted::id).toList(), maxRecords);
    List<String> missing = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Map<TopicPartition, Long> startTimes = new HashMap<>();
      for (String topic : topics) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, left(deadline));
        if (partitions == null || partitions.isEmpty()) {
          missing.add(topic);
          continue;
        }
        long since =
            wanted.stream()
                    .filter(w -> w.topics().contains(topic))
                    .mapToLong(Wanted::sinceMillis)
                    .min()
                    .orElseThrow()
                - skewMillis;
        for (PartitionInfo p : partitions) {
          startTimes.put(new TopicPartition(topic, p.partition()), Math.max(0, since));
        }
      }
      if (!wanted.isEmpty() && !startTimes.isEmpty()) {
        search(consumer, scan, startTimes, deadline);
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return unreachable(
          "no answer within " + timeout.toMillis() + " ms (" + describe(e) + ")", topics);
    } catch (KafkaException e) {
      return unreachable(describe(e), topics);
    }
    return new Result(scan.found(), answer(scan, missing, topics));
  }

  private void search(
      KafkaConsumer<byte[], byte[]> consumer,
      RecordScan scan,
      Map<TopicPartition, Long> startTimes,
      long deadline) {
    Map<TopicPartition, OffsetAndTimestamp> starts =
        consumer.offsetsForTimes(startTimes, left(deadline));
    Map<TopicPartition, Long> ends = consumer.endOffsets(startTimes.keySet(), left(deadline));
    Map<TopicPartition, Long> seekTo = new HashMap<>();
    for (TopicPartition tp : startTimes.keySet()) {
      OffsetAndTimestamp start = starts.get(tp); // null: every record is older
      Long end = ends.get(tp);
      if (start != null && end != null && start.offset() < end) {
        scan.partition(tp, end);
        seekTo.put(tp, start.offset());
      }
    }
    consumer.assign(seekTo.keySet());
    seekTo.forEach(consumer::seek);
    while (!scan.done()) {
      if (System.nanoTime() - deadline > 0) {
        scan.stop();
        break;
      }
      List<TopicPartition> over = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        if (!scan.offer(r)) {
          over.add(new TopicPartition(r.topic(), r.partition()));
        }
      }
      // Control records (transaction markers) take offsets but are never returned.
      for (TopicPartition tp : List.copyOf(scan.partitions())) {
        if (!scan.positionAt(tp, consumer.position(tp, left(deadline)))) {
          over.add(tp);
        }
      }
      consumer.pause(over.stream().filter(seekTo::containsKey).distinct().toList());
    }
  }

  private KafkaAnswer answer(RecordScan scan, List<String> missing, TreeSet<String> topics) {
    List<String> problems = new ArrayList<>();
    if (!missing.isEmpty()) {
      problems.add("no such topic: " + String.join(", ", missing));
    }
    if (!scan.cutShort().isEmpty()) {
      problems.add(
          "not searched to the end (at most "
              + maxRecords
              + " records per partition, "
              + timeout.toSeconds()
              + " s in all): "
              + scan.cutShort().stream()
                  .map(tp -> tp.topic() + "/" + tp.partition())
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    return new KafkaAnswer(
        KafkaAnswer.Status.ASKED,
        problems.isEmpty() ? null : String.join("; ", problems),
        List.copyOf(topics),
        scan.scanned(),
        scan.cutShort().isEmpty());
  }

  private Result unreachable(String why, TreeSet<String> topics) {
    return new Result(
        Map.of(),
        new KafkaAnswer(
            KafkaAnswer.Status.UNREACHABLE,
            "Kafka at " + settings.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) + ": " + why,
            List.copyOf(topics),
            0,
            false));
  }

  private static Duration left(long deadline) {
    return Duration.ofNanos(
        Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime()));
  }

  private static String describe(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && b.indexOf(t.getMessage()) < 0) {
        b.append(b.length() == 0 ? "" : ": ").append(t.getMessage());
      }
    }
    return b.length() == 0 ? e.getClass().getSimpleName() : b.toString();
  }
}
