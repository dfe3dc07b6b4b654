package io.edgegate.gateway.command;

import io.edgegate.gateway.thread.Confinement;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which consumed commands are settled, per partition, and so how far each partition's offset may be
 * committed: up to the lowest offset not yet settled. <b>Confined to the consumer thread.</b>
 */
final class Offsets {
  private final Confinement.Owner owner = Confinement.firstCaller();

  private static final class Partition {
    final TreeSet<Long> unsettled = new TreeSet<>();
    long next = -1; // one past the highest offset taken
    long committed = -1;
  }

  private final Map<TopicPartition, Partition> partitions = new HashMap<>();
  private int unsettled;

  void taken(TopicPartition tp, long offset) {
    assert owner.check();
    Partition p = partitions.computeIfAbsent(tp, k -> new Partition());
    p.unsettled.add(offset);
    p.next = Math.max(p.next, offset + 1);
    unsettled++;
  }

  void settled(TopicPartition tp, long offset) {
    assert owner.check();
    Partition p = partitions.get(tp);
    if (p != null && p.unsettled.remove(offset)) {
      unsettled--;
    }
  }

  /** Commands taken and not yet settled, over all partitions. */
  int unsettled() {
    assert owner.check();
    return unsettled;
  }

  /** The offsets to commit now (those that moved since the last commit). */
  Map<TopicPartition, OffsetAndMetadata> toCommit() {
    assert owner.check();
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    partitions.forEach(
        (tp, p) -> {
          long upTo = p.unsettled.isEmpty() ? p.next : p.unsettled.first();
          if (upTo > p.committed && upTo >= 0) {
            out.put(tp, new OffsetAndMetadata(upTo));
          }
        });
    return out;
  }

  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    assert owner.check();
    offsets.forEach(
        (tp, o) -> {
          Partition p = partitions.get(tp);
          if (p != null) {
            p.committed = Math.max(p.committed, o.offset());
          }
        });
  }

  /** The partition went to another consumer: its unsettled commands no longer count. */
  void revoked(TopicPartition tp) {
    assert owner.check();
    Partition p = partitions.remove(tp);
    if (p != null) {
      unsettled -= p.unsettled.size();
    }
  }
}
