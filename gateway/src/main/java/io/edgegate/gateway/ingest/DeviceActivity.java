package io.edgegate.gateway.ingest;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a connection's publishes leave for the admin console to read: a count, the last receive time
 * and QoS, and whether the socket waits for the journal. Written by the connection's event loop
 * only, read from the admin loop on request.
 *
 * <p>Opaque writes: one writer needs no atomic read-modify-write, and opaque access (unlike a plain
 * {@code long}) never tears on a 32-bit ARM; unlike a volatile write it adds no fence to the
 * publish path. A reader may see a value a moment old, which a console polling each second does not
 * notice.
 */
final class DeviceActivity {
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong lastAt = new AtomicLong();
  private final AtomicInteger lastQos = new AtomicInteger(-1);
  private final AtomicInteger paused = new AtomicInteger();

  /** An event goes to the journal (the connection's event loop). */
  void event(int qos, long receivedAtMillis) {
    events.setOpaque(events.getPlain() + 1);
    lastAt.setOpaque(receivedAtMillis);
    lastQos.setOpaque(qos);
  }

  /** Its socket paused for (true) or resumed after (false) the journal (its event loop). */
  void paused(boolean on) {
    paused.setOpaque(on ? 1 : 0);
  }

  long events() {
    return events.getOpaque();
  }

  long lastAtMillis() {
    return lastAt.getOpaque();
  }

  int lastQos() {
    return lastQos.getOpaque();
  }

  boolean paused() {
    return paused.getOpaque() != 0;
  }
}
