package io.edgegate.gateway.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.journal.JournalEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The CloudEvents 1.0 envelope of an event, in Kafka's binary mode ({@code ce_*} headers, value =
 * the data) or structured mode (one {@code application/cloudevents+json} document). In both modes
 * {@code traceparent}/{@code tracestate} and the {@code mqtt_*}/{@code edgegate_*} headers travel
 * as Kafka headers, so tracing and routing tools need not parse values. Pure; thread-safe.
 *
 * <p>An MQTT 5 request's response topic and correlation data travel as {@code mqtt_response_topic}
 * and {@code mqtt_correlation_data} (the raw bytes) headers in both modes, and in structured mode
 * also as the extension attributes {@code mqttresponsetopic} and {@code mqttcorrelationdata}
 * (base64), so a responder can answer the device on the topic it asked for. (CloudEvents attribute
 * names are lower-case letters and digits only.)
 */
final class Envelope {
  static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
  static final String RESPONSE_TOPIC_HEADER = "mqtt_response_topic";
  static final String CORRELATION_DATA_HEADER = "mqtt_correlation_data";
  static final String EXPIRES_AT_HEADER = "mqtt_expires_at";
  static final String PAYLOAD_FORMAT_HEADER = "mqtt_payload_format_indicator";
  private static final byte[] PAYLOAD_UTF8 = bytes("1");
  static final String RESPONSE_TOPIC_ATTRIBUTE = "mqttresponsetopic";
  static final String CORRELATION_DATA_ATTRIBUTE = "mqttcorrelationdata";
  private static final byte[] SPEC_VERSION = bytes("1.0");
  private final ObjectMapper json;
  private final String sourcePrefix;

  Envelope(ObjectMapper json, String gatewayId) {
    this.json = json;
    this.sourcePrefix = "edgegate://" + gatewayId + "/";
  }

  /** What an event says about itself, beyond the journal entry. */
  record Attributes(
      String topic,
      String key,
      String type,
      String contentType,
      String dataschema,
      byte[] data,
      boolean dataIsJson,
      PipelineConfig.Envelope mode) {}

  String source(JournalEvent e) {
    return sourcePrefix + URLEncoder.encode(e.clientId(), StandardCharsets.UTF_8);
  }

  ProducerRecord<String, byte[]> record(JournalEvent e, Attributes a, RecordHeaders extra) {
    RecordHeaders h = new RecordHeaders();
    String id = e.eventId().toString();
    String time = Instant.ofEpochMilli(e.receivedAtMillis()).toString();
    String[] trace = trace(e);
    byte[] value;
    if (a.mode() == PipelineConfig.Envelope.STRUCTURED) {
      value = structured(e, a, id, time, trace);
      h.add("content-type", bytes(STRUCTURED_CONTENT_TYPE));
    } else {
      h.add("ce_specversion", SPEC_VERSION);
      h.add("ce_id", bytes(id));
      h.add("ce_source", bytes(source(e)));
      h.add("ce_type", bytes(a.type()));
      h.add("ce_time", bytes(time));
      if (a.dataschema() != null) {
        h.add("ce_dataschema", bytes(a.dataschema()));
      }
      h.add("content-type", bytes(a.contentType()));
      value = a.data();
    }
    h.add("traceparent", bytes(trace[0]));
    if (trace[1] != null) {
      h.add("tracestate", bytes(trace[1]));
    }
    h.add("mqtt_topic", bytes(e.topic()));
    h.add("mqtt_qos", new byte[] {(byte) ('0' + e.qos())});
    if (e.responseTopic() != null) {
      h.add(RESPONSE_TOPIC_HEADER, bytes(e.responseTopic()));
    }
    if (e.correlationData() != null) {
      h.add(CORRELATION_DATA_HEADER, e.correlationData());
    }
    if (e.expiresAtMillis() != JournalEvent.NEVER) {
      // The deadline, not the interval left: a consumer reads the record at a time of its own.
      h.add(EXPIRES_AT_HEADER, bytes(Instant.ofEpochMilli(e.expiresAtMillis()).toString()));
    }
    if (e.payloadFormat() == JournalEvent.PAYLOAD_UTF8) {
      h.add(PAYLOAD_FORMAT_HEADER, PAYLOAD_UTF8); // passed on unaltered [MQTT-3.3.2-4]
    }
    for (JournalEvent.UserProperty p : e.userProperties()) {
      if (!p.name().equals("traceparent") && !p.name().equals("tracestate")) {
        h.add("mqtt_user_" + p.name(), bytes(p.value()));
      }
    }
    extra.forEach(h::add);
    return new ProducerRecord<>(a.topic(), null, null, a.key(), value, h);
  }

  /** {traceparent, tracestate}: the device's when its traceparent is valid, else a new trace. */
  static String[] trace(JournalEvent e) {
    String parent = null;
    String state = null;
    for (JournalEvent.UserProperty p : e.userProperties()) {
      if (p.name().equals("traceparent") && TraceParent.isValid(p.value())) {
        parent = p.value();
      } else if (p.name().equals("tracestate")) {
        state = p.value();
      }
    }
    return parent == null
        ? new String[] {TraceParent.startFor(e.eventId()), null}
        : new String[] {parent, state};
  }

  private byte[] structured(JournalEvent e, Attributes a, String id, String time, String[] trace) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(a.data().length + 512);
    try (JsonGenerator g = json.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("specversion", "1.0");
      g.writeStringField("id", id);
      g.writeStringField("source", source(e));
      g.writeStringField("type", a.type());
      g.writeStringField("time", time);
      g.writeStringField("datacontenttype", a.contentType());
      if (a.dataschema() != null) {
        g.writeStringField("dataschema", a.dataschema());
      }
      g.writeStringField("traceparent", trace[0]);
      if (trace[1] != null) {
        g.writeStringField("tracestate", trace[1]);
      }
      if (e.responseTopic() != null) {
        g.writeStringField(RESPONSE_TOPIC_ATTRIBUTE, e.responseTopic());
      }
      if (e.correlationData() != null) {
        g.writeStringField(
            CORRELATION_DATA_ATTRIBUTE, Base64.getEncoder().encodeToString(e.correlationData()));
      }
      if (a.dataIsJson()) {
        g.writeFieldName("data");
        JsonNode data = json.readTree(a.data());
        g.writeTree(data);
      } else {
        g.writeStringField("data_base64", Base64.getEncoder().encodeToString(a.data()));
      }
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
