package io.edgegate.gateway.journal;

/**
 * Bytes of heap an event waiting for the journal holds: what {@code journal.maxPendingBytes}
 * counts. Measured with JOL (object graphs on a 64-bit JVM with compressed references, i.e. heaps
 * under 32 GiB), with a(n) = 16 + n rounded up to 8 for an array or a Latin-1 string's value:
 *
 * <pre>
 *   280                    the event (88), its UUID (32), and the append's hand-off (160: the
 *                          writer's request 40, its queue node 24, the promise 24 and its two
 *                          listeners 48, the connection's held publish 24)
 * + 2 a(client id) + 2 a(topic) + 48      bytes and decoded String (24 + its value) of each
 * + a(payload)
 * + 24 + 2 a(content type)                if it has one
 * + 48 + a(4 n) + Σ (72 + a(name) + a(value))        n user properties (list, array, and per
 *                                                     property the record and two Strings)
 * + 24 + a(response topic)                if it has one
 * + a(correlation data)                   if it has some
 * </pre>
 *
 * A 100-byte event with an 11-byte client id and a 23-byte topic weighs 592 bytes (JOL: 432 for the
 * event, 160 for the hand-off). Lengths are UTF-8 bytes: a string with characters beyond Latin-1,
 * which Java holds at two bytes a character, may weigh up to its length in characters more. An
 * event read back from the journal holds at most this much (its strings are shared with other
 * entries'). The forward budget counts the record built from the event instead (see {@code
 * EventProcessor.recordWeight}).
 *
 * <p>Stateless: any thread.
 */
final class EventWeight {
  private EventWeight() {}

  /** The weight of {@code e}, at most {@link Integer#MAX_VALUE}. */
  static int of(JournalEvent e) {
    long w =
        280L
            + 2 * a(e.clientIdUtf8().length)
            + 2 * a(e.topicUtf8().length)
            + 48
            + a(e.payload().length);
    byte[] contentType = e.contentTypeUtf8();
    if (contentType != null) {
      w += 24 + 2 * a(contentType.length);
    }
    int n = e.userProperties().size();
    if (n > 0) {
      w += 48 + a(4L * n);
      for (JournalEvent.UserProperty p : e.userProperties()) {
        w += 72 + a(p.name().length()) + a(p.value().length());
      }
    }
    if (e.responseTopic() != null) {
      w += 24 + a(e.responseTopic().length());
    }
    if (e.correlationData() != null) {
      w += a(e.correlationData().length);
    }
    return (int) Math.min(Integer.MAX_VALUE, w);
  }

  /** An array of {@code n} bytes on the heap: a 16-byte header and the bytes, aligned to 8. */
  private static long a(long n) {
    return (16 + n + 7) & ~7L;
  }
}
