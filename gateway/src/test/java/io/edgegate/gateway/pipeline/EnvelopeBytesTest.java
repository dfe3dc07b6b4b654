package io.edgegate.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.journal.JournalEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * The envelope built from cached and directly written bytes carries the headers the CloudEvents
 * contract names, byte for byte as their String forms encode, also for a device seen again, for
 * names beyond ASCII, and past the caches' bounds.
 */
class EnvelopeBytesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JournalEvent event(String client, String topic, String contentType, long at) {
    return new JournalEvent(
        3,
        UUID.randomUUID(),
        at,
        1,
        client,
        topic,
        contentType,
        List.of(
            new JournalEvent.UserProperty("site", "north"),
            new JournalEvent.UserProperty("tracestate", "ignored-without-traceparent")),
        1_800_000_000_000L,
        "replies/" + client,
        new byte[] {1, 2},
        JournalEvent.PAYLOAD_UTF8,
        "{\"t\":1}".getBytes(StandardCharsets.UTF_8));
  }

  /** What the envelope wrote before its bytes were built once: the String forms, encoded. */
  private static Map<String, String> expected(JournalEvent e, String contentType) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("ce_specversion", "1.0");
    h.put("ce_id", e.eventId().toString());
    h.put(
        "ce_source", "edgegate://gw-1/" + URLEncoder.encode(e.clientId(), StandardCharsets.UTF_8));
    h.put("ce_type", "com.example.t");
    h.put("ce_time", Instant.ofEpochMilli(e.receivedAtMillis()).toString());
    h.put("content-type", contentType);
    h.put("traceparent", TraceParent.startFor(e.eventId()));
    h.put("mqtt_topic", e.topic());
    h.put("mqtt_qos", "1");
    h.put("mqtt_response_topic", e.responseTopic());
    h.put("mqtt_correlation_data", new String(new byte[] {1, 2}, StandardCharsets.UTF_8));
    h.put("mqtt_expires_at", Instant.ofEpochMilli(1_800_000_000_000L).toString());
    h.put("mqtt_payload_format_indicator", "1");
    h.put("mqtt_user_site", "north");
    h.put("edgegate_device", e.clientId());
    return h;
  }

  private static Map<String, String> headers(ProducerRecord<String, byte[]> r) {
    Map<String, String> h = new LinkedHashMap<>();
    for (Header x : r.headers()) {
      h.put(x.key(), new String(x.value(), StandardCharsets.UTF_8));
    }
    return h;
  }

  private static ProducerRecord<String, byte[]> binary(
      Envelope envelope, JournalEvent e, String contentType) {
    List<Header> extra = new ArrayList<>();
    extra.add(envelope.device(e.clientId(), e));
    return envelope.record(
        e,
        new Envelope.Attributes(
            "iot.t",
            e.clientId(),
            "com.example.t",
            contentType,
            null,
            e.payload(),
            true,
            PipelineConfig.Envelope.BINARY),
        extra);
  }

  @Test
  void binaryHeadersAreTheStringFormsByteForByteAlsoFromTheCaches() {
    Envelope envelope = new Envelope(JSON, "gw-1");
    List<String[]> devices =
        List.of(
            new String[] {"dev-1", "devices/dev-1/t"},
            new String[] {"Zähler 7", "geräte/Zähler 7/t"},
            new String[] {"emoji-\uD83D\uDE00", "d/\uD83D\uDE00/t"});
    for (int round = 0; round < 2; round++) { // the second round comes from the caches
      for (String[] d : devices) {
        JournalEvent own = event(d[0], d[1], "text/plain; charset=UTF-8", 1_700_000_000_123L);
        assertThat(headers(binary(envelope, own, null)))
            .containsExactlyEntriesOf(expected(own, "text/plain; charset=UTF-8"));
        JournalEvent routes = event(d[0], d[1], null, 1_700_000_001_000L);
        assertThat(headers(binary(envelope, routes, "application/json")))
            .containsExactlyEntriesOf(expected(routes, "application/json"));
      }
    }
    // Past the bound, the oldest device is encoded again, the same.
    for (int i = 0; i < Envelope.DEVICES_CACHED + 10; i++) {
      binary(envelope, event("d" + i, "t/" + i, null, 0), "a/b");
    }
    JournalEvent again = event("dev-1", "devices/dev-1/t", null, 5);
    assertThat(headers(binary(envelope, again, "a/b")))
        .containsExactlyEntriesOf(expected(again, "a/b"));
  }

  @Test
  void structuredAttributesAreTheStringForms() throws Exception {
    Envelope envelope = new Envelope(JSON, "gw-1");
    JournalEvent e = event("Zähler 7", "d/t", "application/json", 1_700_000_000_000L);
    ProducerRecord<String, byte[]> r =
        envelope.record(
            e,
            new Envelope.Attributes(
                "iot.t",
                e.clientId(),
                "com.example.t",
                null,
                "urn:s:1",
                e.payload(),
                true,
                PipelineConfig.Envelope.STRUCTURED),
            List.of());
    JsonNode ce = JSON.readTree(r.value());
    assertThat(ce.get("id").asText()).isEqualTo(e.eventId().toString());
    assertThat(ce.get("time").asText()).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(ce.get("source").asText())
        .isEqualTo("edgegate://gw-1/" + URLEncoder.encode("Zähler 7", StandardCharsets.UTF_8));
    assertThat(ce.get("datacontenttype").asText()).isEqualTo("application/json");
    assertThat(ce.get("traceparent").asText()).isEqualTo(TraceParent.startFor(e.eventId()));
    assertThat(ce.get("data").get("t").asInt()).isEqualTo(1);
    assertThat(headers(r).get("content-type")).isEqualTo(Envelope.STRUCTURED_CONTENT_TYPE);
  }

  @Test
  void aRecordWeighsAtLeastItsBytes() {
    Envelope envelope = new Envelope(JSON, "gw-1");
    JournalEvent e = event("dev-1", "devices/dev-1/t", null, 0);
    ProducerRecord<String, byte[]> r = binary(envelope, e, "a/b");
    int bytes = e.payload().length;
    for (Header h : r.headers()) {
      bytes += h.key().length() + h.value().length;
    }
    assertThat(Envelope.weight(r)).isGreaterThan(bytes);
  }
}
