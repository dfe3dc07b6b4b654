package io.edgegate.gateway.ingest;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The QoS 1 packets each device had journaled most recently (packet id and {@link ContentHash} of
 * topic and payload), kept across reconnects, so that a redelivery — a PUBLISH with the DUP flag,
 * the same packet id and the same content, sent because the PUBACK was lost — is acknowledged again
 * but not journaled twice. Bounded: {@code perDevice} packets for at most {@code devices} devices
 * (least recently active forgotten first). Thread-safe (coarse lock: a few map operations per
 * publish).
 *
 * <p>A device's packets are two small arrays used as a ring (about 800 bytes for 64), not a map of
 * boxed entries (about 5.5 KiB): with every device publishing, this is the largest per-device cost
 * after the connection itself.
 */
final class RecentPublishes {
  private final int perDevice;
  private final LinkedHashMap<String, Ring> byDevice;

  RecentPublishes(int perDevice, int devices) {
    this.perDevice = perDevice;
    this.byDevice =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Ring> e) {
            return size() > devices;
          }
        };
  }

  synchronized void journaled(String clientId, int packetId, long hash) {
    byDevice.computeIfAbsent(clientId, c -> new Ring()).put(packetId, hash, perDevice);
  }

  synchronized boolean isRedelivery(String clientId, int packetId, long hash) {
    Ring recent = byDevice.get(clientId);
    int i = recent == null ? -1 : recent.indexOf(packetId);
    return i >= 0 && recent.hashes[i] == hash;
  }

  /**
   * The last {@code perDevice} packet ids of one device and their hashes, oldest overwritten first;
   * a packet id journaled again keeps its place and takes the new hash. Grows to {@code perDevice}.
   */
  private static final class Ring {
    int[] ids = new int[4];
    long[] hashes = new long[4];
    int size;
    int oldest; // once full: the slot to overwrite next

    int indexOf(int packetId) {
      for (int i = 0; i < size; i++) {
        if (ids[i] == packetId) {
          return i;
        }
      }
      return -1;
    }

    void put(int packetId, long hash, int max) {
      int i = indexOf(packetId);
      if (i >= 0) {
        hashes[i] = hash;
        return;
      }
      if (size < max) {
        if (size == ids.length) {
          int grown = Math.min(max, ids.length * 2);
          ids = Arrays.copyOf(ids, grown);
          hashes = Arrays.copyOf(hashes, grown);
        }
        ids[size] = packetId;
        hashes[size] = hash;
        size++;
        return;
      }
      ids[oldest] = packetId;
      hashes[oldest] = hash;
      oldest = (oldest + 1) % max;
    }
  }
}
