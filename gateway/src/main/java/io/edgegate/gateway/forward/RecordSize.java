package io.edgegate.gateway.forward;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/** What a record weighs against {@code forward.maxInFlightBytes}: key, value and header bytes. */
final class RecordSize {
  private RecordSize() {}

  static int of(ProducerRecord<String, byte[]> r) {
    int n = r.value() == null ? 0 : r.value().length;
    if (r.key() != null) {
      n += r.key().length(); // chars: close enough for a budget, and no encoding pass
    }
    for (Header h : r.headers()) {
      n += h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    return n;
  }
}
