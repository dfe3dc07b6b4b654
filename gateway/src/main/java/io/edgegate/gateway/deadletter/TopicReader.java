package io.edgegate.gateway.deadletter;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads a whole topic, every partition from its beginning to the end it had when the read began
 * (with {@code read_committed}, the last stable offset), so records written meanwhile are not read.
 * No consumer group: nothing is committed. Stateless and blocking: each call has its own consumer.
 */
final class TopicReader {
  private TopicReader() {}

  /** What is done with each record; false stops the read. */
  interface Visitor {
    boolean visit(ConsumerRecord<String, byte[]> r);
  }

  /**
   * Feeds {@code topic}'s records to {@code visitor} and returns false if it stopped the read; a
   * missing topic has none. Fails with a {@link TimeoutException} when {@code timeout} passes
   * without a record while some are left.
   */
  static boolean readToEnd(
      Consumer<String, byte[]> c, String topic, Duration timeout, Visitor visitor) {
    List<PartitionInfo> infos = c.partitionsFor(topic, timeout);
    if (infos == null || infos.isEmpty()) {
      return true;
    }
    List<TopicPartition> partitions =
        infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    c.assign(partitions);
    c.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = c.endOffsets(partitions, timeout);
    long lastProgress = System.nanoTime();
    while (partitions.stream().anyMatch(tp -> c.position(tp, timeout) < end.get(tp))) {
      boolean any = false;
      for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
        any = true;
        if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
          continue; // written after the read began
        }
        if (!visitor.visit(r)) {
          return false;
        }
      }
      if (any) {
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > timeout.toNanos()) {
        throw new TimeoutException(
            "reading " + topic + ": no record for " + timeout + " before its end " + end);
      }
    }
    return true;
  }
}
