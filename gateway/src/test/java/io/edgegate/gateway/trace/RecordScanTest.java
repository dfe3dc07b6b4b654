package io.edgegate.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The bookkeeping of a Kafka search: matching ids, partition ends, the record bound. */
class RecordScanTest {
  private static final UUID A = UUID.fromString("01938a2b-0000-7000-8000-000000000001");
  private static final UUID B = UUID.fromString("01938a2b-0000-7000-8000-000000000002");

  private static ConsumerRecord<byte[], byte[]> record(
      String topic, long offset, String ceId, String reason, byte[] value, String contentType) {
    RecordHeaders h = new RecordHeaders();
    if (ceId != null) {
      h.add(new RecordHeader("ce_id", ceId.getBytes(StandardCharsets.UTF_8)));
    }
    if (reason != null) {
      h.add(new RecordHeader("edgegate_dlq_reason", reason.getBytes(StandardCharsets.UTF_8)));
      h.add(new RecordHeader("edgegate_dlq_error", "why".getBytes(StandardCharsets.UTF_8)));
    }
    if (contentType != null) {
      h.add(new RecordHeader("content-type", contentType.getBytes(StandardCharsets.UTF_8)));
    }
    return new ConsumerRecord<>(
        topic,
        0,
        offset,
        1_000L + offset,
        TimestampType.CREATE_TIME,
        0,
        value == null ? 0 : value.length,
        "dev".getBytes(StandardCharsets.UTF_8),
        value,
        h,
        Optional.empty());
  }

  @Test
  void findsIdsByTheirCeIdHeaderWithTheDeadLetterReasonAndIsDoneWhenAllAreFound() {
    RecordScan scan = new RecordScan(List.of(A, B), 100);
    scan.partition(new TopicPartition("events", 0), 10);
    scan.partition(new TopicPartition("dlq", 0), 10);
    assertThat(scan.offer(record("events", 3, "other", null, null, null))).isTrue();
    assertThat(scan.offer(record("events", 4, A.toString(), null, null, null))).isTrue();
    assertThat(scan.done()).isFalse();
    scan.offer(record("dlq", 0, B.toString(), "record-too-large", null, null));
    assertThat(scan.done()).isTrue();
    TraceResult.KafkaRecord a = scan.found().get(A).get(0);
    assertThat(a.topic()).isEqualTo("events");
    assertThat(a.offset()).isEqualTo(4);
    assertThat(a.timestamp().toEpochMilli()).isEqualTo(1_004L);
    assertThat(a.timestampType()).isEqualTo("CreateTime");
    assertThat(a.deadLetterReason()).isNull();
    TraceResult.KafkaRecord b = scan.found().get(B).get(0);
    assertThat(b.deadLetterReason()).isEqualTo("record-too-large");
    assertThat(b.deadLetterError()).isEqualTo("why");
    assertThat(scan.scanned()).isEqualTo(3);
    assertThat(scan.cutShort()).isEmpty();
  }

  @Test
  void aStructuredCloudEventMatchesByTheIdInItsValue() {
    RecordScan scan = new RecordScan(List.of(A), 100);
    scan.partition(new TopicPartition("events", 0), 10);
    byte[] value =
        ("{\"specversion\":\"1.0\",\"id\":\"" + A + "\"}").getBytes(StandardCharsets.UTF_8);
    scan.offer(
        record("events", 0, null, null, "not json".getBytes(), "application/cloudevents+json"));
    scan.offer(record("events", 1, null, null, value, "application/cloudevents+json"));
    assertThat(scan.found()).containsKey(A);
    assertThat(scan.found().get(A).get(0).offset()).isEqualTo(1);
  }

  @Test
  void aPartitionEndsAtItsEndOffsetOrAtTheRecordBoundWhichIsReported() {
    RecordScan scan = new RecordScan(List.of(A), 2);
    TopicPartition events = new TopicPartition("events", 0);
    TopicPartition dlq = new TopicPartition("dlq", 0);
    scan.partition(events, 100);
    scan.partition(dlq, 2);
    assertThat(scan.offer(record("dlq", 0, "x", null, null, null))).isTrue();
    assertThat(scan.offer(record("dlq", 1, "y", null, null, null))).as("its end").isFalse();
    assertThat(scan.offer(record("events", 0, "x", null, null, null))).isTrue();
    assertThat(scan.offer(record("events", 1, "y", null, null, null))).as("the bound").isFalse();
    assertThat(scan.done()).isTrue();
    assertThat(scan.found()).isEmpty();
    assertThat(scan.cutShort()).containsExactly(events);
  }

  @Test
  void aPositionPastTheEndEndsAPartitionWhoseLastOffsetsAreTransactionMarkers() {
    RecordScan scan = new RecordScan(List.of(A), 100);
    TopicPartition tp = new TopicPartition("events", 0);
    scan.partition(tp, 5);
    assertThat(scan.positionAt(tp, 3)).isTrue();
    assertThat(scan.positionAt(tp, 5)).isFalse();
    assertThat(scan.done()).isTrue();
    assertThat(scan.cutShort()).isEmpty();
  }
}
