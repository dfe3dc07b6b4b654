package io.edgegate.gateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.thread.Confinement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * The bookkeeping of one search through Kafka, apart from the consumer: which partitions are still
 * searched (from a start offset up to the end offset taken when the search began, at most {@code
 * maxRecords} records each), which ids were found where. An id matches a record's {@code ce_id}
 * header, or, for a structured-mode CloudEvent (no {@code ce_id} header), the {@code id} of its
 * JSON value. Used by one thread.
 */
final class RecordScan {
  private final Confinement.Owner owner = Confinement.firstCaller();
  static final String CE_ID = "ce_id";
  static final String DLQ_REASON = "edgegate_dlq_reason";
  static final String DLQ_ERROR = "edgegate_dlq_error";
  private static final String STRUCTURED = "application/cloudevents+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Range(long end, long[] scanned) {}

  private final Map<String, UUID> wanted = new HashMap<>();
  private final int maxRecords;
  private final Map<TopicPartition, Range> active = new LinkedHashMap<>();
  private final Set<TopicPartition> cutShort = new HashSet<>();
  private final Map<UUID, List<TraceResult.KafkaRecord>> found = new LinkedHashMap<>();
  private long scanned;

  RecordScan(Iterable<UUID> ids, int maxRecords) {
    for (UUID id : ids) {
      wanted.put(id.toString(), id);
    }
    this.maxRecords = maxRecords;
  }

  /** Searches {@code tp} up to offset {@code end} (exclusive). */
  void partition(TopicPartition tp, long end) {
    assert owner.check();
    active.put(tp, new Range(end, new long[1]));
  }

  Set<TopicPartition> partitions() {
    assert owner.check();
    return active.keySet();
  }

  /**
   * Looks at one record of a partition being searched; false when that partition's search is over
   * (its end offset or the record bound reached), so the caller stops fetching it.
   */
  boolean offer(ConsumerRecord<byte[], byte[]> r) {
    assert owner.check();
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    Range range = active.get(tp);
    if (range == null) {
      return false;
    }
    if (r.offset() >= range.end()) {
      active.remove(tp);
      return false;
    }
    scanned++;
    UUID id = idOf(r);
    if (id != null) {
      found.computeIfAbsent(id, k -> new ArrayList<>()).add(recordOf(r));
    }
    if (r.offset() + 1 >= range.end()) {
      active.remove(tp);
      return false;
    }
    if (++range.scanned()[0] >= maxRecords) {
      active.remove(tp);
      cutShort.add(tp);
      return false;
    }
    return true;
  }

  /** The consumer's position in {@code tp} reached {@code position} (past control records). */
  boolean positionAt(TopicPartition tp, long position) {
    assert owner.check();
    Range range = active.get(tp);
    if (range != null && position >= range.end()) {
      active.remove(tp);
      return false;
    }
    return range != null;
  }

  /** Stops the search: the rest of each partition still searched is not looked at. */
  void stop() {
    assert owner.check();
    cutShort.addAll(active.keySet());
    active.clear();
  }

  /** Every id found, or no partition left to search. */
  boolean done() {
    assert owner.check();
    return active.isEmpty() || found.keySet().containsAll(wanted.values());
  }

  Map<UUID, List<TraceResult.KafkaRecord>> found() {
    return found;
  }

  /** Partitions not searched to their end (the record bound, or {@link #stop}). */
  Set<TopicPartition> cutShort() {
    assert owner.check();
    return cutShort;
  }

  long scanned() {
    assert owner.check();
    return scanned;
  }

  private UUID idOf(ConsumerRecord<byte[], byte[]> r) {
    Header h = r.headers().lastHeader(CE_ID);
    String id = null;
    if (h != null && h.value() != null) {
      id = new String(h.value(), StandardCharsets.UTF_8);
    } else if (r.value() != null && STRUCTURED.equals(header(r, "content-type"))) {
      try {
        JsonNode n = JSON.readTree(r.value());
        id = n != null && n.hasNonNull("id") ? n.get("id").asText() : null;
      } catch (IOException e) {
        id = null; // not a CloudEvent after all: not one of ours
      }
    }
    return id == null ? null : wanted.get(id);
  }

  private static TraceResult.KafkaRecord recordOf(ConsumerRecord<byte[], byte[]> r) {
    return new TraceResult.KafkaRecord(
        r.topic(),
        r.partition(),
        r.offset(),
        Instant.ofEpochMilli(r.timestamp()),
        r.timestampType().name,
        header(r, DLQ_REASON),
        header(r, DLQ_ERROR));
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
