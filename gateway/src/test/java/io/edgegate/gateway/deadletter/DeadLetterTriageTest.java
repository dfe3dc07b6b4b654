package io.edgegate.gateway.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.pipeline.EventProcessor;
import io.edgegate.gateway.pipeline.PipelineStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead letters written by the real pipeline under one configuration, judged by the pipeline of a
 * fixed one: what passes is the record the fixed gateway would have built from the event as
 * received.
 */
class DeadLetterTriageTest {
  private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final EventIds ids = new EventIds(clock);
  @TempDir Path dir;
  private EventProcessor before;
  private EventProcessor after;
  private GatewayConfig fixed;
  private long offset;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(dir.resolve("strict.json"), schema(50));
    Files.writeString(dir.resolve("relaxed.json"), schema(100));
    GatewayConfig broken = config("strict.json", "");
    fixed =
        config(
            "relaxed.json",
            """
                - match: devices/{deviceId}/status
                  topic: iot.status
                  type: com.example.status
            """);
    before = EventProcessor.load(broken, PipelineStats.NONE);
    after = EventProcessor.load(fixed, PipelineStats.NONE);
  }

  private static String schema(int max) {
    return """
        {"$schema":"https://json-schema.org/draft/2020-12/schema",
         "$id":"https://example.com/t/%d",
         "type":"object","required":["temperature"],
         "properties":{"temperature":{"type":"number","maximum":%d}}}
        """
        .formatted(max, max);
  }

  private GatewayConfig config(String schemaFile, String moreRoutes) {
    return ConfigLoader.parse(
        "t.yaml",
        """
        gateway: {id: gw-1}
        kafka: {bootstrapServers: 'k:9092', topic: fallback, deadLetterTopic: dlq}
        pipeline:
          contentType: application/octet-stream
          routes:
            - match: devices/{deviceId}/telemetry
              topic: iot.telemetry
              type: com.example.telemetry
              schema: telemetry
              format: json
        %s
          unmatched: {policy: dead-letter}
          duplicates: {field: msgId}
          schemas:
            telemetry: {current: 1, versions: {1: {file: '%s'}}}
        """
            .formatted(moreRoutes, dir.resolve(schemaFile)));
  }

  private JournalEvent event(String topic, String payload) {
    return new JournalEvent(
        JournalEvent.UNAPPENDED,
        ids.next(),
        NOW.minusSeconds(3600).toEpochMilli(),
        1,
        "dev-1",
        topic,
        null,
        List.of(),
        payload.getBytes(StandardCharsets.UTF_8));
  }

  /** The dead letter {@code e} becomes under the broken configuration, as a consumer reads it. */
  private DeadLetter deadLettered(JournalEvent e) {
    ProducerRecord<String, byte[]> r = before.process(e);
    assertThat(r.topic()).isEqualTo("dlq");
    return read(r);
  }

  private DeadLetter read(ProducerRecord<String, byte[]> r) {
    ConsumerRecord<String, byte[]> c =
        new ConsumerRecord<>(r.topic(), 0, offset++, r.key(), r.value());
    for (Header h : r.headers()) {
      c.headers().add(h);
    }
    return new DeadLetter(c);
  }

  private DeadLetterTriage triage(ReplayFilter filter) {
    return new DeadLetterTriage("gw-1", "dlq", filter, after, clock);
  }

  private static List<String> headers(ProducerRecord<String, byte[]> r) {
    List<String> out = new ArrayList<>();
    for (Header h : r.headers()) {
      if (!h.key().equals(DeadLetter.REPLAYED_FROM)) {
        out.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Test
  void aFixedSchemaPassesWithTheRecordTheFixedGatewayWouldHaveBuilt() throws Exception {
    JournalEvent e = event("devices/dev-1/telemetry", "{\"temperature\":70}");
    DeadLetter d = deadLettered(e);
    assertThat(d.reason()).isEqualTo("schema-invalid");
    ReplaySummary summary = new ReplaySummary("dlq", false);
    Set<String> replayed = new HashSet<>();

    ProducerRecord<String, byte[]> out = triage(ReplayFilter.ALL).judge(d, replayed, summary);

    ProducerRecord<String, byte[]> direct =
        EventProcessor.load(fixed, PipelineStats.NONE).process(e);
    assertThat(out.topic()).isEqualTo("iot.telemetry");
    assertThat(out.key()).isEqualTo(direct.key());
    assertThat(out.value()).isEqualTo(direct.value());
    assertThat(headers(out)).containsExactlyElementsOf(headers(direct));
    assertThat(new String(out.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
        .isEqualTo(e.eventId().toString());
    assertThat(new String(out.headers().lastHeader(DeadLetter.REPLAYED_FROM).value()))
        .isEqualTo(d.position());
    assertThat(replayed).containsExactly(e.eventId().toString());
    assertThat(summary.examined()).isEqualTo(1);
  }

  @Test
  void anMqtt5EventKeepsItsPropertiesThroughTheDeadLetter() throws Exception {
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    JournalEvent e =
        new JournalEvent(
            JournalEvent.UNAPPENDED,
            ids.next(),
            NOW.minusSeconds(60).toEpochMilli(),
            2,
            "dev-1",
            "devices/dev-1/telemetry",
            "application/vnd.example+json",
            List.of(
                new JournalEvent.UserProperty("traceparent", traceparent),
                new JournalEvent.UserProperty("tracestate", "vendor=1"),
                new JournalEvent.UserProperty("batch", "7"),
                new JournalEvent.UserProperty("batch", "8")),
            NOW.plusSeconds(600).toEpochMilli(),
            "replies/dev-1",
            new byte[] {1, 2, 3},
            JournalEvent.PAYLOAD_UTF8,
            "{\"temperature\":70}".getBytes(StandardCharsets.UTF_8));
    ProducerRecord<String, byte[]> out =
        triage(ReplayFilter.ALL)
            .judge(deadLettered(e), new HashSet<>(), new ReplaySummary("dlq", false));
    ProducerRecord<String, byte[]> direct =
        EventProcessor.load(fixed, PipelineStats.NONE).process(e);
    assertThat(headers(out)).containsExactlyElementsOf(headers(direct));
    assertThat(new String(out.headers().lastHeader("content-type").value()))
        .isEqualTo("application/vnd.example+json");
    assertThat(new String(out.headers().lastHeader("traceparent").value())).isEqualTo(traceparent);
  }

  @Test
  void aGatewaysOwnContentTypeIsNotTakenForTheDevices() throws Exception {
    // The dead letter carries pipeline.contentType; the fixed JSON route says application/json.
    JournalEvent e = event("devices/dev-1/telemetry", "{\"temperature\":70}");
    DeadLetter d = deadLettered(e);
    assertThat(new String(d.record().headers().lastHeader("content-type").value()))
        .isEqualTo("application/octet-stream");
    ProducerRecord<String, byte[]> out =
        triage(ReplayFilter.ALL).judge(d, new HashSet<>(), new ReplaySummary("dlq", false));
    assertThat(new String(out.headers().lastHeader("content-type").value()))
        .isEqualTo("application/json");
  }

  @Test
  void anUnmatchedTopicPassesOnceARouteMatchesIt() {
    DeadLetter d = deadLettered(event("devices/dev-1/status", "online"));
    assertThat(d.reason()).isEqualTo("unmatched-topic");
    ProducerRecord<String, byte[]> out =
        triage(ReplayFilter.ALL).judge(d, new HashSet<>(), new ReplaySummary("dlq", false));
    assertThat(out.topic()).isEqualTo("iot.status");
  }

  @Test
  void anEventStillInvalidIsReportedWithTheReasonItFailsWithNow() {
    DeadLetter d = deadLettered(event("devices/dev-1/telemetry", "{\"temperature\":200}"));
    ReplaySummary summary = new ReplaySummary("dlq", false);
    Set<String> replayed = new HashSet<>();
    assertThat(triage(ReplayFilter.ALL).judge(d, replayed, summary)).isNull();
    assertThat(summary.stillFailingByReason()).containsEntry("schema-invalid", 1L);
    ReplaySummary.StillFailing s = summary.stillFailingListed().get(0);
    assertThat(s.was()).isEqualTo("schema-invalid");
    assertThat(s.error()).contains("temperature");
    assertThat(s.ceId()).isEqualTo(d.ceId());
    assertThat(replayed).isEmpty();
  }

  @Test
  void aSecondCopyOfADeadLetterCountsAsAlreadyReplayed() {
    JournalEvent e = event("devices/dev-1/telemetry", "{\"temperature\":70}");
    DeadLetter first = deadLettered(e);
    DeadLetter copy = read(before.process(e)); // a re-sent dead letter: same ce_id
    ReplaySummary summary = new ReplaySummary("dlq", false);
    Set<String> replayed = new HashSet<>();
    DeadLetterTriage t = triage(ReplayFilter.ALL);
    assertThat(t.judge(first, replayed, summary)).isNotNull();
    assertThat(t.judge(copy, replayed, summary)).isNull();
    assertThat(summary.alreadyReplayed()).isEqualTo(1);
  }

  @Test
  void skipsAreCountedByKind() {
    JournalEvent e = event("devices/dev-1/telemetry", "{\"temperature\":70}");
    ProducerRecord<String, byte[]> r = before.process(e);
    ReplaySummary summary = new ReplaySummary("dlq", false);
    DeadLetterTriage t = triage(new ReplayFilter(Set.of("unmatched-topic"), null, null, null));

    assertThat(t.judge(read(r), new HashSet<>(), summary)).isNull(); // a schema-invalid one
    assertThat(summary.skippedByFilters()).isEqualTo(1);

    ProducerRecord<String, byte[]> other =
        new ProducerRecord<>("dlq", null, null, r.key(), r.value(), r.headers());
    other.headers().remove(DeadLetter.GATEWAY);
    other.headers().add(DeadLetter.GATEWAY, "gw-2".getBytes(StandardCharsets.UTF_8));
    assertThat(triage(ReplayFilter.ALL).judge(read(other), new HashSet<>(), summary)).isNull();
    assertThat(summary.otherGateways()).isEqualTo(1);

    assertThat(
            triage(ReplayFilter.ALL)
                .judge(read(r), new HashSet<>(Set.of(e.eventId().toString())), summary))
        .isNull();
    assertThat(summary.alreadyReplayed()).isEqualTo(1);
    assertThat(summary.examined()).isEqualTo(3);
  }

  @Test
  void deadLettersWithoutWhatAReplayNeedsAreNotReplayableAndSayWhatIsMissing() {
    ProducerRecord<String, byte[]> r =
        before.process(event("devices/dev-1/telemetry", "{\"temperature\":70}"));
    ProducerRecord<String, byte[]> older =
        new ProducerRecord<>("dlq", null, null, r.key(), r.value(), r.headers());
    older.headers().remove(DeadLetter.DEVICE_CONTENT_TYPE); // as an earlier release wrote it
    ProducerRecord<String, byte[]> refused =
        new ProducerRecord<>("dlq", null, null, r.key(), r.value(), r.headers());
    refused.headers().remove(DeadLetter.REASON);
    refused.headers().add(DeadLetter.REASON, "record-too-large".getBytes(StandardCharsets.UTF_8));
    ReplaySummary summary = new ReplaySummary("dlq", false);
    DeadLetterTriage t = triage(ReplayFilter.ALL);
    assertThat(t.judge(read(older), new HashSet<>(), summary)).isNull();
    assertThat(t.judge(read(refused), new HashSet<>(), summary)).isNull();
    assertThat(summary.notReplayableByWhy())
        .containsOnlyKeys(
            "not replayable: missing edgegate_dlq_device_content_type",
            "not replayable: refused by Kafka (record-too-large), not by the pipeline;"
                + " see journal replay");
  }

  @Test
  void anEventThatExpiredMeanwhileIsNotSent() {
    JournalEvent e =
        new JournalEvent(
            JournalEvent.UNAPPENDED,
            ids.next(),
            NOW.minusSeconds(60).toEpochMilli(),
            1,
            "dev-1",
            "devices/dev-1/telemetry",
            null,
            List.of(),
            NOW.minusSeconds(1).toEpochMilli(),
            null,
            null,
            JournalEvent.PAYLOAD_UNSPECIFIED,
            "{\"temperature\":70}".getBytes(StandardCharsets.UTF_8));
    ReplaySummary summary = new ReplaySummary("dlq", false);
    assertThat(triage(ReplayFilter.ALL).judge(deadLettered(e), new HashSet<>(), summary)).isNull();
    assertThat(summary.expired()).isEqualTo(1);
  }
}
