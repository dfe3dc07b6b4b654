package io.edgegate.gateway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.gateway.journal.DamagedEntry;
import io.edgegate.gateway.journal.JournalEntry;
import io.edgegate.gateway.journal.JournalEvent;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * One journal entry as one line of JSON (what {@code journal dump} and {@code tail} print).
 *
 * <pre>
 * {"index":…,"indexHex":"0x…","eventId":"…","receivedAt":"2026-11-23T15:01:17.293Z",
 *  "clientId":"dev-1","topic":"devices/dev-1/telemetry","qos":1,"contentType":null,
 *  "userProperties":[{"name":"k","value":"v"}],"expiresAt":null,"responseTopic":null,
 *  "correlationData":null,"payloadFormatIndicator":0,"payloadBytes":13,
 *  "payloadEncoding":"utf-8","payload":"{\"temp\":21.5}"}
 * {"index":…,"indexHex":"0x…","damaged":true,"problem":"…"}
 * </pre>
 *
 * The payload is text when it is valid UTF-8, else base64 ({@code "payloadEncoding":"base64"}).
 * Correlation data is always base64 (it is binary by definition in MQTT 5).
 */
final class EntryJson {
  static final String UTF8 = "utf-8";
  static final String BASE64 = "base64";

  private final ObjectMapper mapper = new ObjectMapper();

  String line(JournalEntry entry) {
    ObjectNode node = mapper.createObjectNode();
    node.put("index", entry.index());
    node.put("indexHex", JournalIndexes.hex(entry.index()));
    if (entry instanceof JournalEvent e) {
      event(node, e);
    } else {
      node.put("damaged", true).put("problem", ((DamagedEntry) entry).problem());
    }
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of strings and numbers always serialises
    }
  }

  private static void event(ObjectNode node, JournalEvent e) {
    node.put("eventId", e.eventId().toString());
    node.put("receivedAt", Instant.ofEpochMilli(e.receivedAtMillis()).toString());
    node.put("clientId", e.clientId());
    node.put("topic", e.topic());
    node.put("qos", e.qos());
    node.put("contentType", e.contentType());
    ArrayNode props = node.putArray("userProperties");
    // A list, not an object: MQTT 5 allows a name more than once, and order is kept.
    for (JournalEvent.UserProperty p : e.userProperties()) {
      props.addObject().put("name", p.name()).put("value", p.value());
    }
    node.put(
        "expiresAt",
        e.expiresAtMillis() == JournalEvent.NEVER
            ? null
            : Instant.ofEpochMilli(e.expiresAtMillis()).toString());
    node.put("responseTopic", e.responseTopic());
    node.put(
        "correlationData",
        e.correlationData() == null
            ? null
            : Base64.getEncoder().encodeToString(e.correlationData()));
    node.put("payloadFormatIndicator", e.payloadFormat());
    node.put("payloadBytes", e.payload().length);
    String text = utf8(e.payload());
    if (text != null) {
      node.put("payloadEncoding", UTF8).put("payload", text);
    } else {
      node.put("payloadEncoding", BASE64)
          .put("payload", Base64.getEncoder().encodeToString(e.payload()));
    }
  }

  /** The payload as text if it is valid UTF-8, else null. */
  private static String utf8(byte[] payload) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
