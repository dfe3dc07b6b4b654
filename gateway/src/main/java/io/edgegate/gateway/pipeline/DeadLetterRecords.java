package io.edgegate.gateway.pipeline;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.forward.DeadLetterNote;
import io.edgegate.gateway.journal.JournalEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The step that turns an event the pipeline refuses into its dead-letter record: the payload as
 * received (none when it was too large to keep), the reason and the error in headers, and what a
 * replay needs to rebuild the event ({@code edgegate_dlq_client_id}, the original topic, whether
 * the content type was the device's). It also tells the stats (with a note for the console's ring).
 * Confined, like the {@link EventProcessor} that owns it, to the pipeline's event loop; only
 * refused events pass here.
 */
final class DeadLetterRecords {
  /**
   * On a dead letter, whether its {@code content-type} is the device's own (MQTT 5) or the
   * gateway's default: what a replay needs to rebuild the event as it was received.
   */
  private static final Header DEVICE_CONTENT_TYPE =
      Envelope.constant("edgegate_dlq_device_content_type", "true");

  private static final Header DEFAULT_CONTENT_TYPE =
      Envelope.constant("edgegate_dlq_device_content_type", "false");

  private final Envelope envelope;
  private final Header gatewayId;
  private final PipelineStats stats;
  private final String deadLetterTopic;
  private final String eventType;
  private final String contentType;

  DeadLetterRecords(
      GatewayConfig config, Envelope envelope, Header gatewayId, PipelineStats stats) {
    this.envelope = envelope;
    this.gatewayId = gatewayId;
    this.stats = stats;
    this.deadLetterTopic = config.kafka.deadLetterTopic;
    this.eventType = config.pipeline.eventType;
    this.contentType = config.pipeline.contentType;
  }

  /** The dead-letter record of {@code e}: the payload as received, and why, in headers. */
  ProducerRecord<String, byte[]> record(
      JournalEvent e, DeadLetterReason reason, String error, String path, String schema) {
    stats.invalid(
        reason,
        new DeadLetterNote(
            e.eventId() == null ? null : e.eventId().toString(),
            e.clientId(),
            e.topic(),
            reason.tag(),
            error == null ? reason.tag() : error,
            DeadLetterNote.preview(e.payload())));
    List<Header> extra = new ArrayList<>(8);
    extra.add(gatewayId);
    extra.add(new RecordHeader("edgegate_dlq_reason", Envelope.bytes(reason.tag())));
    extra.add(
        new RecordHeader(
            "edgegate_dlq_error", Envelope.bytes(error == null ? reason.tag() : error)));
    extra.add(new RecordHeader("edgegate_dlq_original_topic", e.topicUtf8()));
    extra.add(new RecordHeader("edgegate_dlq_client_id", e.clientIdUtf8()));
    extra.add(e.contentTypeUtf8() != null ? DEVICE_CONTENT_TYPE : DEFAULT_CONTENT_TYPE);
    if (path != null) {
      extra.add(new RecordHeader("edgegate_dlq_error_path", Envelope.bytes(path)));
    }
    if (schema != null) {
      extra.add(new RecordHeader("edgegate_dlq_schema", Envelope.bytes(schema)));
    }
    boolean tooLarge = reason == DeadLetterReason.PAYLOAD_TOO_LARGE;
    Envelope.Attributes a =
        new Envelope.Attributes(
            deadLetterTopic,
            e.clientId(),
            eventType,
            e.contentTypeUtf8() != null ? null : contentType,
            null,
            tooLarge ? new byte[0] : e.payload(),
            false,
            PipelineConfig.Envelope.BINARY);
    return envelope.record(e, a, extra);
  }
}
