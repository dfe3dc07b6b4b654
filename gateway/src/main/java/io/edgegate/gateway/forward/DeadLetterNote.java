package io.edgegate.gateway.forward;

import java.nio.charset.StandardCharsets;

/**
 * A dead letter as an operator's console lists it: which event, from which device, why. Built only
 * when an event is dead-lettered (never for an event that goes its way), so it costs nothing on the
 * normal path. Strings come from devices: whoever shows them escapes them.
 *
 * @param eventId the event's {@code ce_id}, or null when unknown
 * @param device the MQTT client id, or null when unknown
 * @param topic the MQTT topic it arrived on (or its original Kafka topic), or null
 * @param reason the {@code edgegate_dlq_reason} tag
 * @param error the {@code edgegate_dlq_error} text
 * @param preview at most {@link #PREVIEW_BYTES} bytes of its payload as text, control characters
 *     replaced; null when there is none
 */
public record DeadLetterNote(
    String eventId, String device, String topic, String reason, String error, String preview) {
  public static final int PREVIEW_BYTES = 64;

  /** The first {@link #PREVIEW_BYTES} bytes of {@code payload}, printable; null for none. */
  public static String preview(byte[] payload) {
    if (payload == null || payload.length == 0) {
      return null;
    }
    int n = Math.min(payload.length, PREVIEW_BYTES);
    String s = new String(payload, 0, n, StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(s.length() + 1);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? '\uFFFD' : c);
    }
    if (payload.length > n) {
      b.append('\u2026');
    }
    return b.toString();
  }
}
