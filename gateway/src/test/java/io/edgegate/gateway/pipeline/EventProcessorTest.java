package io.edgegate.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.TestJournals;
import io.edgegate.gateway.mqtt.ReservedTopics;
import io.edgegate.gateway.pipeline.enrich.DeviceRegistry;
import io.edgegate.gateway.pipeline.schema.SchemaCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing, registry, validation, upcasting, duplicates and envelopes, one event at a time. */
class EventProcessorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final EventIds ids = new EventIds(Clock.systemUTC());
  private final List<String> invalid = new ArrayList<>();
  private int duplicates;
  @TempDir Path dir;
  private EventProcessor processor;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(
        dir.resolve("telemetry-v1.json"),
        """
        {"$schema":"https://json-schema.org/draft/2020-12/schema",
         "type":"object","required":["temp"],"properties":{"temp":{"type":"number"}}}
        """);
    Files.writeString(
        dir.resolve("telemetry-v2.json"),
        """
        {"$schema":"https://json-schema.org/draft/2020-12/schema",
         "$id":"https://example.com/schemas/telemetry/2",
         "type":"object","required":["temperature","unit"],
         "properties":{"temperature":{"type":"number"},"unit":{"enum":["C","F"]}}}
        """);
    Files.writeString(dir.resolve("devices.yaml"), "dev-1: {site: plant-a, model: X1}\n");
    GatewayConfig config =
        ConfigLoader.parse(
            "test.yaml",
            """
            gateway: {id: gw-1}
            kafka: {bootstrapServers: 'k:9092', topic: fallback, deadLetterTopic: dlq}
            pipeline:
              routes:
                - match: devices/{deviceId}/telemetry
                  topic: iot.telemetry
                  type: com.example.telemetry
                  schema: telemetry
                  version: {field: v}
                  format: json
                  enrichment: fat
                  deviceTime: ts
                - match: devices/{deviceId}/status
                  topic: iot.status
                  type: com.example.status
                  envelope: structured
                  format: json
                - match: devices/{deviceId}/{kind}
                  topic: iot.{kind}
                  type: com.example.{kind}
              maxPayloadBytes: 1KiB
              unmatched: {policy: dead-letter}
              registry: {file: '%s', unknownDevices: accept-and-flag, site: site-9}
              schemas:
                telemetry:
                  current: 2
                  versions:
                    1:
                      file: '%s'
                      upcast: {rename: {temp: temperature}, defaults: {unit: C}, drop: [v]}
                    2: {file: '%s'}
              duplicates: {field: msgId, window: 16}
              lifecycle: {enabled: true, topic: status}
            """
                .formatted(
                    dir.resolve("devices.yaml"),
                    dir.resolve("telemetry-v1.json"),
                    dir.resolve("telemetry-v2.json")));
    DeviceRegistry registry = new DeviceRegistry(config.pipeline.registry.file);
    registry.reloadIfChanged();
    PipelineStats stats =
        new PipelineStats() {
          @Override
          public void invalid(DeadLetterReason reason) {
            invalid.add(reason.tag());
          }

          @Override
          public void duplicateSuppressed() {
            duplicates++;
          }
        };
    processor =
        new EventProcessor(
            config, JSON, registry, SchemaCatalog.load(config.pipeline.schemas, JSON), stats);
  }

  private JournalEvent event(
      String client, String topic, String payload, JournalEvent.UserProperty... props) {
    return new JournalEvent(
        1,
        ids.next(),
        1_700_000_000_000L,
        1,
        client,
        topic,
        null,
        List.of(props),
        payload.getBytes(StandardCharsets.UTF_8));
  }

  private static String header(ProducerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static JsonNode value(ProducerRecord<String, byte[]> r) throws Exception {
    return JSON.readTree(r.value());
  }

  @Test
  void aV1PayloadIsValidatedUpcastToV2AndEnrichedFat() throws Exception {
    var r =
        processor.process(
            event(
                "dev-1",
                "devices/dev-1/telemetry",
                "{\"v\":1,\"temp\":21.5,\"ts\":1699999999000}"));
    assertThat(r.topic()).isEqualTo("iot.telemetry");
    assertThat(r.key()).isEqualTo("dev-1");
    assertThat(header(r, "ce_type")).isEqualTo("com.example.telemetry");
    assertThat(header(r, "ce_dataschema")).isEqualTo("https://example.com/schemas/telemetry/2");
    JsonNode body = value(r);
    assertThat(body.get("temperature").asDouble()).isEqualTo(21.5);
    assertThat(body.get("unit").asText()).isEqualTo("C");
    assertThat(body.has("temp")).isFalse();
    assertThat(body.has("v")).isFalse();
    assertThat(body.get("_device").get("site").asText()).isEqualTo("plant-a");
    assertThat(header(r, "edgegate_device_model")).isEqualTo("X1");
    assertThat(header(r, "edgegate_site")).isEqualTo("site-9");
    assertThat(header(r, "edgegate_gateway")).isEqualTo("gw-1");
    assertThat(header(r, "edgegate_clock_skew_ms")).isEqualTo("1000");
    assertThat(header(r, "content-type")).isEqualTo("application/json");
  }

  @Test
  void aCurrentVersionPayloadPassesUnchangedApartFromEnrichment() throws Exception {
    var r =
        processor.process(
            event(
                "dev-1", "devices/dev-1/telemetry", "{\"v\":2,\"temperature\":20,\"unit\":\"F\"}"));
    assertThat(value(r).get("unit").asText()).isEqualTo("F");
    assertThat(value(r).has("v")).isTrue(); // no upcast ran: v2 events keep their fields
  }

  @Test
  void invalidNonJsonAndUnknownVersionsAreDeadLetteredWithTheReason() {
    var bad =
        processor.process(
            event(
                "dev-1",
                "devices/dev-1/telemetry",
                "{\"v\":2,\"temperature\":\"hot\",\"unit\":\"C\"}"));
    assertThat(bad.topic()).isEqualTo("dlq");
    assertThat(header(bad, "edgegate_dlq_reason")).isEqualTo("schema-invalid");
    assertThat(header(bad, "edgegate_dlq_error_path")).isEqualTo("$.temperature");
    assertThat(header(bad, "edgegate_dlq_schema")).isEqualTo("telemetry:2");
    assertThat(header(bad, "edgegate_dlq_original_topic")).isEqualTo("devices/dev-1/telemetry");
    assertThat(header(bad, "edgegate_dlq_client_id")).isEqualTo("dev-1");
    assertThat(header(bad, "ce_id")).isNotBlank();

    var notJson = processor.process(event("dev-1", "devices/dev-1/telemetry", "temp=21"));
    assertThat(header(notJson, "edgegate_dlq_reason")).isEqualTo("not-json");
    assertThat(new String(notJson.value(), StandardCharsets.UTF_8)).isEqualTo("temp=21");

    var future =
        processor.process(
            event(
                "dev-1", "devices/dev-1/telemetry", "{\"v\":3,\"temperature\":1,\"unit\":\"C\"}"));
    assertThat(header(future, "edgegate_dlq_reason")).isEqualTo("schema-invalid");
    assertThat(header(future, "edgegate_dlq_error")).contains("unknown version 3");

    var unmatched = processor.process(event("dev-1", "elsewhere/x", "{}"));
    assertThat(header(unmatched, "edgegate_dlq_reason")).isEqualTo("unmatched-topic");
    assertThat(invalid)
        .containsExactly("schema-invalid", "not-json", "schema-invalid", "unmatched-topic");
  }

  @Test
  void topicSegmentsBuildTopicAndTypeAndUnknownDevicesAreFlagged() {
    var r = processor.process(event("dev-9", "devices/dev-9/alarm", "raw"));
    assertThat(r.topic()).isEqualTo("iot.alarm");
    assertThat(header(r, "ce_type")).isEqualTo("com.example.alarm");
    assertThat(header(r, "edgegate_device_unknown")).isEqualTo("true");
    assertThat(header(r, "edgegate_device")).isEqualTo("dev-9"); // sparse: the reference only
    assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("raw");
  }

  @Test
  void structuredModeIsOneCloudEventsJsonDocument() throws Exception {
    var r = processor.process(event("dev-1", "devices/dev-1/status", "{\"ok\":true}"));
    assertThat(header(r, "content-type")).startsWith("application/cloudevents+json");
    assertThat(header(r, "ce_id")).isNull();
    JsonNode ce = value(r);
    assertThat(ce.get("specversion").asText()).isEqualTo("1.0");
    assertThat(ce.get("type").asText()).isEqualTo("com.example.status");
    assertThat(ce.get("source").asText()).isEqualTo("edgegate://gw-1/dev-1");
    assertThat(ce.get("data").get("ok").asBoolean()).isTrue();
    assertThat(TraceParent.isValid(ce.get("traceparent").asText())).isTrue();
  }

  @Test
  void anMqtt5RequestCarriesResponseTopicAndCorrelationDataInBothModes() throws Exception {
    byte[] correlation = {0, (byte) 0xff, 'r', 1};
    var binary =
        processor.process(
            request(event("dev-1", "devices/dev-1/alarm", "x"), "replies/dev-1", correlation));
    assertThat(header(binary, "ce_id")).isNotNull();
    assertThat(header(binary, "mqtt_response_topic")).isEqualTo("replies/dev-1");
    assertThat(binary.headers().lastHeader("mqtt_correlation_data").value()).isEqualTo(correlation);

    var structured =
        processor.process(
            request(
                event("dev-1", "devices/dev-1/status", "{\"ok\":true}"),
                "replies/dev-1",
                correlation));
    JsonNode ce = value(structured);
    assertThat(ce.get("mqttresponsetopic").asText()).isEqualTo("replies/dev-1");
    assertThat(java.util.Base64.getDecoder().decode(ce.get("mqttcorrelationdata").asText()))
        .isEqualTo(correlation);
    assertThat(header(structured, "mqtt_response_topic")).isEqualTo("replies/dev-1");
    assertThat(structured.headers().lastHeader("mqtt_correlation_data").value())
        .isEqualTo(correlation);

    assertThat(header(binary, "mqtt_payload_format_indicator")).isEqualTo("1");
    assertThat(header(binary, "mqtt_expires_at")).isEqualTo("2023-11-14T22:13:27Z");

    var plain = processor.process(event("dev-1", "devices/dev-1/status", "{\"ok\":true}"));
    assertThat(plain.headers().lastHeader("mqtt_payload_format_indicator")).isNull();
    assertThat(plain.headers().lastHeader("mqtt_expires_at")).isNull();
    assertThat(plain.headers().lastHeader("mqtt_response_topic")).isNull();
    assertThat(plain.headers().lastHeader("mqtt_correlation_data")).isNull();
    assertThat(value(plain).has("mqttresponsetopic")).isFalse();
    assertThat(value(plain).has("mqttcorrelationdata")).isFalse();
  }

  /** {@code e} as an MQTT 5 request that expires 7 s after it was received. */
  private static JournalEvent request(JournalEvent e, String responseTopic, byte[] correlation) {
    return TestJournals.withRequest(e, responseTopic, correlation, e.receivedAtMillis() + 7_000);
  }

  @Test
  void aDevicesTraceparentIsKeptAndOneIsStartedOtherwise() {
    String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    var kept =
        processor.process(
            event(
                "dev-1",
                "devices/dev-1/alarm",
                "x",
                new JournalEvent.UserProperty("traceparent", tp),
                new JournalEvent.UserProperty("tracestate", "vendor=1"),
                new JournalEvent.UserProperty("batch", "7")));
    assertThat(header(kept, "traceparent")).isEqualTo(tp);
    assertThat(header(kept, "tracestate")).isEqualTo("vendor=1");
    assertThat(header(kept, "mqtt_user_batch")).isEqualTo("7");
    var started = processor.process(event("dev-1", "devices/dev-1/alarm", "x"));
    assertThat(TraceParent.isValid(header(started, "traceparent"))).isTrue();
  }

  @Test
  void aRepeatedDeviceMessageIdIsSuppressed() {
    String p = "{\"v\":2,\"temperature\":1,\"unit\":\"C\",\"msgId\":\"m-1\"}";
    assertThat(processor.process(event("dev-1", "devices/dev-1/telemetry", p))).isNotNull();
    assertThat(processor.process(event("dev-1", "devices/dev-1/telemetry", p))).isNull();
    assertThat(processor.process(event("dev-2", "devices/dev-2/telemetry", p)))
        .isNotNull(); // per device
    assertThat(duplicates).isEqualTo(1);
  }

  @Test
  void lifecycleEntriesBecomeStatusEvents() {
    var r =
        processor.process(
            event(
                "dev-1",
                ReservedTopics.LIFECYCLE + "connection-lost",
                "{\"reason\":\"connection-lost\"}"));
    assertThat(r.topic()).isEqualTo("status");
    assertThat(r.key()).isEqualTo("dev-1");
    assertThat(header(r, "ce_type")).isEqualTo("io.edgegate.device.connection-lost");
  }

  @Test
  void anOversizedPayloadIsDeadLetteredWithItsSizeNotItsBytes() {
    var r = processor.process(event("dev-1", "devices/dev-1/alarm", "x".repeat(2000)));
    assertThat(r.topic()).isEqualTo("dlq");
    assertThat(header(r, "edgegate_dlq_reason")).isEqualTo("payload-too-large");
    assertThat(header(r, "edgegate_dlq_error")).startsWith("2000 bytes");
    assertThat(r.value()).isEmpty();
  }
}
