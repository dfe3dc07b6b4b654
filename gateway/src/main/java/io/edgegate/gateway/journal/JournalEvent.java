package io.edgegate.gateway.journal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * One MQTT PUBLISH as the journal keeps it: the single source of truth between device and Kafka.
 * Immutable (its arrays are never written after construction); any thread.
 *
 * <p>The client id, topic and content type are held as their UTF-8 bytes, the form in which the
 * journal stores them and Kafka's headers carry them, so an entry read back becomes a record
 * without decoding and re-encoding them. Their {@code String} forms, which routing and access
 * control need, come with them from ingest, and from the reader's table of strings shared between
 * entries; otherwise they are decoded on first use and kept (a benign race: any thread decodes the
 * same value, and a {@code String} is safe to publish through a data race).
 *
 * <ul>
 *   <li>{@code index}: the journal index, or {@link #UNAPPENDED} before the append
 *   <li>{@code eventId}: stable for this entry across restarts and re-sends (becomes {@code ce_id})
 *   <li>{@code receivedAtMillis}: when the gateway received it (Unix epoch milliseconds)
 *   <li>{@code qos}: the MQTT QoS it was published with
 *   <li>{@code clientId}: the MQTT client identifier, which is the device id
 *   <li>{@code contentType}: the MQTT 5 content type, or null
 *   <li>{@code userProperties}: the MQTT 5 user properties, in order; empty for MQTT 3.1.1
 *   <li>{@code expiresAtMillis}: when the event expires (Unix epoch milliseconds): its receive time
 *       plus the MQTT 5 Message Expiry Interval; {@link #NEVER} when it has none
 *   <li>{@code responseTopic}: the MQTT 5 response topic, or null
 *   <li>{@code correlationData}: the MQTT 5 correlation data, or null
 *   <li>{@code payloadFormat}: the MQTT 5 payload format indicator: {@link #PAYLOAD_UNSPECIFIED}
 *       (also for MQTT 3.1.1) or {@link #PAYLOAD_UTF8}
 * </ul>
 */
public final class JournalEvent implements JournalEntry {

  public static final long UNAPPENDED = -1;

  /** {@link #expiresAtMillis} of an event without a Message Expiry Interval. */
  public static final long NEVER = 0;

  /** Payload format indicator 0: unspecified bytes (MQTT 5 §3.3.2.3.2). */
  public static final int PAYLOAD_UNSPECIFIED = 0;

  /** Payload format indicator 1: UTF-8 encoded character data (MQTT 5 §3.3.2.3.2). */
  public static final int PAYLOAD_UTF8 = 1;

  /** An MQTT 5 user property. */
  public record UserProperty(String name, String value) {}

  private final long index;
  private final UUID eventId;
  private final long receivedAtMillis;
  private final int qos;
  private final byte[] clientIdUtf8;
  private final byte[] topicUtf8;
  private final byte[] contentTypeUtf8;
  private final List<UserProperty> userProperties;
  private final long expiresAtMillis;
  private final String responseTopic;
  private final byte[] correlationData;
  private final int payloadFormat;
  private final byte[] payload;
  // Decoded on first use; see the type's comment.
  private String clientId;
  private String topic;
  private String contentType;

  public JournalEvent(
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
      byte[] payload) {
    this(
        index,
        eventId,
        receivedAtMillis,
        qos,
        utf8(clientId),
        utf8(topic),
        utf8(contentType),
        userProperties,
        expiresAtMillis,
        responseTopic,
        correlationData,
        payloadFormat,
        payload);
    this.clientId = clientId;
    this.topic = topic;
    this.contentType = contentType;
  }

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

  /** An event whose client id, topic and content type are given as UTF-8 (RFC 3629) bytes. */
  JournalEvent(
      long index,
      UUID eventId,
      long receivedAtMillis,
      int qos,
      byte[] clientIdUtf8,
      byte[] topicUtf8,
      byte[] contentTypeUtf8,
      List<UserProperty> userProperties,
      long expiresAtMillis,
      String responseTopic,
      byte[] correlationData,
      int payloadFormat,
      byte[] payload) {
    if (clientIdUtf8 == null || topicUtf8 == null || payload == null) {
      throw new NullPointerException("client id, topic and payload are required");
    }
    this.index = index;
    this.eventId = eventId;
    this.receivedAtMillis = receivedAtMillis;
    this.qos = qos;
    this.clientIdUtf8 = clientIdUtf8;
    this.topicUtf8 = topicUtf8;
    this.contentTypeUtf8 = contentTypeUtf8;
    this.userProperties = userProperties;
    this.expiresAtMillis = expiresAtMillis;
    this.responseTopic = responseTopic;
    this.correlationData = correlationData;
    this.payloadFormat = payloadFormat;
    this.payload = payload;
  }

  @Override
  public long index() {
    return index;
  }

  public UUID eventId() {
    return eventId;
  }

  public long receivedAtMillis() {
    return receivedAtMillis;
  }

  public int qos() {
    return qos;
  }

  public String clientId() {
    String s = clientId;
    if (s == null) {
      s = new String(clientIdUtf8, StandardCharsets.UTF_8);
      clientId = s;
    }
    return s;
  }

  /** The client id's UTF-8 bytes. Shared: never write to them. */
  public byte[] clientIdUtf8() {
    return clientIdUtf8;
  }

  public String topic() {
    String s = topic;
    if (s == null) {
      s = new String(topicUtf8, StandardCharsets.UTF_8);
      topic = s;
    }
    return s;
  }

  /** The topic's UTF-8 bytes. Shared: never write to them. */
  public byte[] topicUtf8() {
    return topicUtf8;
  }

  public String contentType() {
    String s = contentType;
    if (s == null && contentTypeUtf8 != null) {
      s = new String(contentTypeUtf8, StandardCharsets.UTF_8);
      contentType = s;
    }
    return s;
  }

  /** The content type's UTF-8 bytes, or null. Shared: never write to them. */
  public byte[] contentTypeUtf8() {
    return contentTypeUtf8;
  }

  public List<UserProperty> userProperties() {
    return userProperties;
  }

  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  public String responseTopic() {
    return responseTopic;
  }

  public byte[] correlationData() {
    return correlationData;
  }

  public int payloadFormat() {
    return payloadFormat;
  }

  public byte[] payload() {
    return payload;
  }

  /** Whether it has a Message Expiry Interval that has run out at {@code nowMillis}. */
  public boolean expiredAt(long nowMillis) {
    return expiresAtMillis != NEVER && nowMillis >= expiresAtMillis;
  }

  /**
   * Bytes of heap an event waiting for the journal holds: what {@code journal.maxPendingBytes}
   * counts ({@link EventWeight} says how it is measured).
   */
  public int weight() {
    return EventWeight.of(this);
  }

  /** Sets the decoded forms, known to the reader; before the event is handed on. */
  void decoded(String clientId, String topic, String contentType) {
    this.clientId = clientId;
    this.topic = topic;
    this.contentType = contentType;
  }

  JournalEvent withIndex(long newIndex) {
    JournalEvent e =
        new JournalEvent(
            newIndex,
            eventId,
            receivedAtMillis,
            qos,
            clientIdUtf8,
            topicUtf8,
            contentTypeUtf8,
            userProperties,
            expiresAtMillis,
            responseTopic,
            correlationData,
            payloadFormat,
            payload);
    e.clientId = clientId;
    e.topic = topic;
    e.contentType = contentType;
    return e;
  }

  @Override
  public String toString() {
    return "JournalEvent[index="
        + index
        + ", eventId="
        + eventId
        + ", clientId="
        + clientId()
        + ", topic="
        + topic()
        + ", qos="
        + qos
        + ", payload="
        + payload.length
        + " bytes]";
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }
}
