package io.edgegate.gateway.deadletter;

import io.edgegate.gateway.forward.SendFailure;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.pipeline.DeadLetterReason;
import io.edgegate.gateway.pipeline.TraceParent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One record of the dead-letter topic, as a replay sees it: why it is there, whose it is, and — if
 * the pipeline put it there — the event as the gateway received it, rebuilt from its headers.
 *
 * <p>A pipeline dead letter ({@code EventProcessor}) is the received event in the binary envelope:
 * value = the payload as received, {@code ce_id} = the event id, {@code ce_time} = the receive
 * time, {@code mqtt_topic}, {@code mqtt_qos}, the MQTT 5 properties ({@code mqtt_user_*}, {@code
 * traceparent}, response topic, correlation data, expiry, payload format), {@code
 * edgegate_dlq_client_id}, and {@code edgegate_dlq_device_content_type} saying whether {@code
 * content-type} is the device's own. That is the whole journal entry but its index, which the
 * pipeline does not read. A dead letter the forwarder wrote (Kafka refused the built record: too
 * large, invalid topic, not authorised) holds the built record, not the received event, so it is
 * not replayable here; neither is one whose payload was not kept ({@code payload-too-large}) or one
 * written before a header this needs existed. Immutable; any thread.
 */
public final class DeadLetter {
  public static final String REASON = "edgegate_dlq_reason";
  public static final String ERROR = "edgegate_dlq_error";
  public static final String CLIENT_ID = "edgegate_dlq_client_id";
  public static final String ORIGINAL_TOPIC = "edgegate_dlq_original_topic";
  public static final String DEVICE_CONTENT_TYPE = "edgegate_dlq_device_content_type";
  public static final String GATEWAY = "edgegate_gateway";

  /** On a replayed record: the dead letter it came from, {@code topic/partition/offset}. */
  public static final String REPLAYED_FROM = "edgegate_replayed_from";

  private static final String USER_PREFIX = "mqtt_user_";

  /** Reasons of dead letters the forwarder writes (its {@code SendFailure}s): built records. */
  private static final Set<String> REFUSED_BY_KAFKA =
      Arrays.stream(SendFailure.values())
          .filter(f -> f != SendFailure.RETRY)
          .map(SendFailure::tag)
          .collect(Collectors.toUnmodifiableSet());

  private final ConsumerRecord<String, byte[]> record;
  private final String reason;
  private final String ceId;
  private final String clientId;
  private final String gateway;
  private final Instant receivedAt;

  public DeadLetter(ConsumerRecord<String, byte[]> record) {
    this.record = record;
    Headers h = record.headers();
    this.reason = text(h, REASON);
    this.ceId = text(h, "ce_id");
    String client = text(h, CLIENT_ID);
    this.clientId = client != null ? client : record.key();
    this.gateway = text(h, GATEWAY);
    this.receivedAt = instant(text(h, "ce_time"));
  }

  public ConsumerRecord<String, byte[]> record() {
    return record;
  }

  /** {@code topic/partition/offset}: where it is in the dead-letter topic. */
  public String position() {
    return record.topic() + "/" + record.partition() + "/" + record.offset();
  }

  /** Why it was dead-lettered, or null. */
  public String reason() {
    return reason;
  }

  /** Its {@code ce_id}, or null. */
  public String ceId() {
    return ceId;
  }

  /** The device (MQTT client id), or null. */
  public String clientId() {
    return clientId;
  }

  /** The gateway that dead-lettered it ({@code edgegate_gateway}), or null. */
  public String gateway() {
    return gateway;
  }

  /** When the gateway received the event ({@code ce_time}), or null. */
  public Instant receivedAt() {
    return receivedAt;
  }

  /** The event as received, or why it cannot be had from this record. */
  public Restored restore() {
    if (reason == null) {
      return new NotReplayable("missing " + REASON);
    }
    if (REFUSED_BY_KAFKA.contains(reason)) {
      return new NotReplayable(
          "refused by Kafka (" + reason + "), not by the pipeline; see journal replay");
    }
    if (reason.equals(DeadLetterReason.PAYLOAD_TOO_LARGE.tag())) {
      return new NotReplayable("payload not kept (" + reason + "); see journal replay");
    }
    Headers h = record.headers();
    UUID id;
    try {
      id = ceId == null ? null : UUID.fromString(ceId);
    } catch (IllegalArgumentException e) {
      return new NotReplayable("ce_id '" + ceId + "' is not a UUID");
    }
    for (String required :
        List.of("ce_id", "ce_time", CLIENT_ID, "mqtt_topic", "mqtt_qos", DEVICE_CONTENT_TYPE)) {
      if (h.lastHeader(required) == null) {
        return new NotReplayable("missing " + required);
      }
    }
    if (receivedAt == null) {
      return new NotReplayable("ce_time '" + text(h, "ce_time") + "' is not an RFC 3339 time");
    }
    if (record.value() == null) {
      return new NotReplayable("missing payload");
    }
    int qos;
    try {
      qos = Integer.parseInt(text(h, "mqtt_qos"));
    } catch (NumberFormatException e) {
      qos = -1;
    }
    if (qos < 0 || qos > 2) {
      return new NotReplayable("mqtt_qos '" + text(h, "mqtt_qos") + "' is not 0, 1 or 2");
    }
    long expiresAt = JournalEvent.NEVER;
    String expires = text(h, "mqtt_expires_at");
    if (expires != null) {
      Instant t = instant(expires);
      if (t == null) {
        return new NotReplayable("mqtt_expires_at '" + expires + "' is not an RFC 3339 time");
      }
      expiresAt = t.toEpochMilli();
    }
    String contentType =
        "true".equals(text(h, DEVICE_CONTENT_TYPE)) ? text(h, "content-type") : null;
    Header correlation = h.lastHeader("mqtt_correlation_data");
    int payloadFormat =
        "1".equals(text(h, "mqtt_payload_format_indicator"))
            ? JournalEvent.PAYLOAD_UTF8
            : JournalEvent.PAYLOAD_UNSPECIFIED;
    return new Replayable(
        new JournalEvent(
            JournalEvent.UNAPPENDED,
            id,
            receivedAt.toEpochMilli(),
            qos,
            text(h, CLIENT_ID),
            text(h, "mqtt_topic"),
            contentType,
            userProperties(h, id),
            expiresAt,
            text(h, "mqtt_response_topic"),
            correlation == null ? null : correlation.value(),
            payloadFormat,
            record.value()));
  }

  /**
   * The MQTT 5 user properties: {@code mqtt_user_*} in order, and the device's trace context, which
   * the envelope moved to {@code traceparent}/{@code tracestate}. A {@code traceparent} the gateway
   * started (from the event id) was no property of the device's.
   */
  private static List<JournalEvent.UserProperty> userProperties(Headers h, UUID id) {
    List<JournalEvent.UserProperty> out = new ArrayList<>();
    String traceparent = text(h, "traceparent");
    if (traceparent != null && !traceparent.equals(TraceParent.startFor(id))) {
      out.add(new JournalEvent.UserProperty("traceparent", traceparent));
      String tracestate = text(h, "tracestate");
      if (tracestate != null) {
        out.add(new JournalEvent.UserProperty("tracestate", tracestate));
      }
    }
    for (Header x : h) {
      if (x.key().startsWith(USER_PREFIX) && x.value() != null) {
        out.add(
            new JournalEvent.UserProperty(
                x.key().substring(USER_PREFIX.length()),
                new String(x.value(), StandardCharsets.UTF_8)));
      }
    }
    return out.isEmpty() ? List.of() : List.copyOf(out);
  }

  /** What {@link #restore} found. */
  public sealed interface Restored permits Replayable, NotReplayable {}

  /** The event as received. */
  public record Replayable(JournalEvent event) implements Restored {}

  /** Why the event cannot be rebuilt from the record. */
  public record NotReplayable(String why) implements Restored {}

  private static String text(Headers h, String name) {
    Header x = h.lastHeader(name);
    return x == null || x.value() == null ? null : new String(x.value(), StandardCharsets.UTF_8);
  }

  private static Instant instant(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
