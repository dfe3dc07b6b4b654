package io.edgegate.gateway.pipeline;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.journal.JournalEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the Kafka record of a journaled event: CloudEvents 1.0 in Kafka binary mode (the {@code
 * ce_*} headers, {@code content-type}), {@code traceparent}, key = device id (so each device's
 * events share a partition and keep their order), value = the payload bytes as received. Pure
 * computation; thread-safe.
 */
public final class CloudEventRecords {
  static final String USER_PROPERTY_TRACEPARENT = "traceparent";
  static final String USER_PROPERTY_TRACESTATE = "tracestate";
  private static final byte[] SPEC_VERSION = bytes("1.0");

  private final String topic;
  private final String sourcePrefix;
  private final byte[] type;
  private final byte[] defaultContentType;

  public CloudEventRecords(GatewayConfig config) {
    this.topic = config.kafka.topic;
    this.sourcePrefix = "edgegate://" + config.gateway.id + "/";
    this.type = bytes(config.pipeline.eventType);
    this.defaultContentType = bytes(config.pipeline.contentType);
  }

  public ProducerRecord<String, byte[]> build(JournalEvent e) {
    RecordHeaders h = new RecordHeaders();
    h.add("ce_specversion", SPEC_VERSION);
    h.add("ce_id", bytes(e.eventId().toString()));
    h.add(
        "ce_source", bytes(sourcePrefix + URLEncoder.encode(e.clientId(), StandardCharsets.UTF_8)));
    h.add("ce_type", type);
    h.add("ce_time", bytes(Instant.ofEpochMilli(e.receivedAtMillis()).toString()));
    h.add("content-type", e.contentType() != null ? bytes(e.contentType()) : defaultContentType);
    String traceparent = null;
    String tracestate = null;
    for (JournalEvent.UserProperty p : e.userProperties()) {
      if (USER_PROPERTY_TRACEPARENT.equals(p.name()) && TraceParent.isValid(p.value())) {
        traceparent = p.value();
      } else if (USER_PROPERTY_TRACESTATE.equals(p.name())) {
        tracestate = p.value();
      }
    }
    if (traceparent == null) {
      h.add("traceparent", bytes(TraceParent.startFor(e.eventId())));
    } else {
      h.add("traceparent", bytes(traceparent));
      if (tracestate != null) {
        h.add("tracestate", bytes(tracestate));
      }
    }
    h.add("mqtt_topic", bytes(e.topic()));
    h.add("mqtt_qos", new byte[] {(byte) ('0' + e.qos())});
    return new ProducerRecord<>(topic, null, null, e.clientId(), e.payload(), h);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
