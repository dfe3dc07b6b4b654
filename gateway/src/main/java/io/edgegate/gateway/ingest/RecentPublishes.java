package io.edgegate.gateway.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The QoS 1 packets each device had journaled most recently (packet id and {@link ContentHash} of
 * topic and payload), kept across reconnects, so that a redelivery — a PUBLISH with the DUP flag,
 * the same packet id and the same content, sent because the PUBACK was lost — is acknowledged again
 * but not journaled twice. Bounded: {@code perDevice} packets for at most {@code devices} devices
 * (least recently active forgotten first). Thread-safe (coarse lock: a few map operations per
 * publish).
 */
final class RecentPublishes {
  private final int perDevice;
  private final LinkedHashMap<String, LinkedHashMap<Integer, Long>> byDevice;

  RecentPublishes(int perDevice, int devices) {
    this.perDevice = perDevice;
    this.byDevice =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, LinkedHashMap<Integer, Long>> e) {
            return size() > devices;
          }
        };
  }

  synchronized void journaled(String clientId, int packetId, long hash) {
    byDevice
        .computeIfAbsent(
            clientId,
            c ->
                new LinkedHashMap<>(16, 0.75f, false) {
                  @Override
                  protected boolean removeEldestEntry(Map.Entry<Integer, Long> e) {
                    return size() > perDevice;
                  }
                })
        .put(packetId, hash);
  }

  synchronized boolean isRedelivery(String clientId, int packetId, long hash) {
    LinkedHashMap<Integer, Long> recent = byDevice.get(clientId);
    Long seen = recent == null ? null : recent.get(packetId);
    return seen != null && seen == hash;
  }
}
