package io.edgegate.gateway.trace;

import java.util.UUID;

/**
 * The time in an event id. The gateway's ids are UUID version 7 (RFC 9562 §5.7): the first 48 bits
 * are Unix epoch milliseconds, taken from the gateway's clock just after the receive time.
 */
final class EventTimes {
  private EventTimes() {}

  /** The milliseconds in a version 7 id, or null for any other id. */
  static Long of(UUID id) {
    if (id.version() != 7 || id.variant() != 2) {
      return null;
    }
    return id.getMostSignificantBits() >>> 16;
  }
}
