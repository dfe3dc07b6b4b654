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
    byte[] payload)
    implements JournalEntry {

  public static final long UNAPPENDED = -1;

  /** An MQTT 5 user property. */
  public record UserProperty(String name, String value) {}

  /** Bytes this event holds in memory, roughly: what memory budgets count. */
  public int weight() {
    int w = 96 + payload.length + clientId.length() + topic.length();
    for (UserProperty p : userProperties) {
      w += 32 + p.name().length() + p.value().length();
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
        payload);
  }
}
