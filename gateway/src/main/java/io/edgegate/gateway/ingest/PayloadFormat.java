package io.edgegate.gateway.ingest;

import io.edgegate.gateway.journal.JournalEvent;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The MQTT 5 Payload Format Indicator check: a payload declared UTF-8 (indicator 1) must be valid
 * UTF-8. The server "MAY" check it and answer 0x99 (MQTT 5 §3.3.2.3.2); the gateway does, because
 * it tells Kafka consumers the payload is text. Stateless; any thread.
 */
final class PayloadFormat {
  private PayloadFormat() {}

  /** False when {@code message} declares a UTF-8 payload that is not well-formed UTF-8. */
  static boolean matches(MqttPublishMessage message) {
    MqttProperties props = message.properties();
    if (props == null
        || !(props.getProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR)
            instanceof MqttProperties.IntegerProperty p)
        || p.value() != JournalEvent.PAYLOAD_UTF8) {
      return true;
    }
    try {
      // Well-formed as RFC 3629 says; the JDK decoder also refuses encoded surrogates.
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(PublishToEvent.payload(message)));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
