package io.edgegate.gateway.ingest;

/**
 * A 64-bit hash of a PUBLISH's topic and payload: what tells a repeat (a QoS 1 redelivery, a QoS 2
 * PUBLISH sent again before PUBREL) from new content under the same packet id. QoS 2 hashes are
 * kept in persistent sessions on disk: the function must not change. Stateless; any thread.
 */
final class ContentHash {
  private ContentHash() {}

  /** Like {@link #of(String, byte[])}, read from the received buffer without copying it. */
  static long of(String topic, io.vertx.core.buffer.Buffer payload) {
    long h = topicHash(topic);
    for (int i = 0, n = payload.length(); i < n; i++) {
      h = 1099511628211L * (h ^ (payload.getByte(i) & 0xff));
    }
    return h;
  }

  static long of(String topic, byte[] payload) {
    long h = topicHash(topic);
    for (byte b : payload) {
      h = 1099511628211L * (h ^ (b & 0xff));
    }
    return h;
  }

  private static long topicHash(String topic) {
    long h = 1125899906842597L;
    for (int i = 0; i < topic.length(); i++) {
      h = 31 * h + topic.charAt(i);
    }
    return 31 * h + 0x2f2f;
  }
}
