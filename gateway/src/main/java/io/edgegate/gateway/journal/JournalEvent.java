package io.edgegate.gateway.journal;

import java.util.List;
import java.util.UUID;

/**
 * One MQTT PUBLISH as the journal keeps it: the single source of truth between device and Kafka.
 *
 * @param index the journal index, or {@link #UNAPPENDED} before the append
 * @param eventId stable for this entry across restarts and re-sends (becomes {@code ce_id})
 * @param receivedAtMillis when the gateway received it (Unix epoch milliseconds)
 * @param qos the MQTT QoS it was published with
 * @param clientId the MQTT client identifier, which is the device id
 * @param contentType the MQTT 5 content type, or null
 * @param userProperties the MQTT 5 user properties, in order; empty for MQTT 3.1.1
 * @param expiresAtMillis when the event expires (Unix epoch milliseconds): its receive time plus
 *     the MQTT 5 Message Expiry Interval; {@link #NEVER} when it has none
 * @param responseTopic the MQTT 5 response topic, or null
 * @param correlationData the MQTT 5 correlation data, or null
 * @param payloadFormat the MQTT 5 payload format indicator: {@link #PAYLOAD_UNSPECIFIED} (also for
 *     MQTT 3.1.1) or {@link #PAYLOAD_UTF8}
 */
public record JournalEvent(
    long index,
    UUID eventId,
    long receivedAtMillis,
    int qos,
    String clientId,
    String topic,
    String contentType,
    List<UserProperty> userProperties,
    long expiresAtMillis,
    String responseTopic,
    byte[] correlationData,
    int payloadFormat,
    byte[] payload)
    implements JournalEntry {

  public static final long UNAPPENDED = -1;

  /** {@link #expiresAtMillis} of an event without a Message Expiry Interval. */
  public static final long NEVER = 0;

  /** Payload format indicator 0: unspecified bytes (MQTT 5 §3.3.2.3.2). */
  public static final int PAYLOAD_UNSPECIFIED = 0;

  /** Payload format indicator 1: UTF-8 encoded character data (MQTT 5 §3.3.2.3.2). */
  public static final int PAYLOAD_UTF8 = 1;

  /** An MQTT 5 user property. */
  public record UserProperty(String name, String value) {}

  /**
   * An event without expiry, response topic, correlation data or payload format (MQTT 3.1.1
   * publishes, the gateway's own lifecycle events).
   */
  public JournalEvent(
      long index,
      UUID eventId,
      long receivedAtMillis,
      int qos,
      String clientId,
      String topic,
      String contentType,
      List<UserProperty> userProperties,
      byte[] payload) {
    this(
        index,
        eventId,
        receivedAtMillis,
        qos,
        clientId,
        topic,
        contentType,
        userProperties,
        NEVER,
        null,
        null,
        PAYLOAD_UNSPECIFIED,
        payload);
  }

  /** Whether it has a Message Expiry Interval that has run out at {@code nowMillis}. */
  public boolean expiredAt(long nowMillis) {
    return expiresAtMillis != NEVER && nowMillis >= expiresAtMillis;
  }

  /** Bytes this event holds in memory, roughly: what memory budgets count. */
  public int weight() {
    int w = 96 + payload.length + clientId.length() + topic.length();
    for (UserProperty p : userProperties) {
      w += 32 + p.name().length() + p.value().length();
    }
    if (responseTopic != null) {
      w += 16 + responseTopic.length();
    }
    if (correlationData != null) {
      w += 16 + correlationData.length;
    }
    return w;
  }

  JournalEvent withIndex(long newIndex) {
    return new JournalEvent(
        newIndex,
        eventId,
        receivedAtMillis,
        qos,
        clientId,
        topic,
        contentType,
        userProperties,
        expiresAtMillis,
        responseTopic,
        correlationData,
        payloadFormat,
        payload);
  }
}
