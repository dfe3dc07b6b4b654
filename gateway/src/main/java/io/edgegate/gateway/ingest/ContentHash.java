package io.edgegate.gateway.ingest;

/**
 * A 64-bit hash of a PUBLISH's topic and payload: what tells a repeat (a QoS 1 redelivery, a QoS 2
 * PUBLISH sent again before PUBREL) from new content under the same packet id. QoS 2 hashes are
 * kept in persistent sessions on disk: the function must not change. Stateless; any thread.
 */
final class ContentHash {
  private ContentHash() {}

  static long of(String topic, byte[] payload) {
    long h = 1125899906842597L;
    for (int i = 0; i < topic.length(); i++) {
      h = 31 * h + topic.charAt(i);
    }
    h = 31 * h + 0x2f2f;
    for (byte b : payload) {
      h = 1099511628211L * (h ^ (b & 0xff));
    }
    return h;
  }
}
