package io.edgegate.gateway.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last {@code window} message ids of each device, for the devices seen most recently (at most
 * {@code maxDevices}): memory is bounded however many devices and messages there are. Not
 * thread-safe: the pipeline's event loop owns it.
 */
final class RecentMessageIds {
  private final int window;
  private final Map<String, LinkedHashMap<String, Boolean>> byDevice;

  RecentMessageIds(int window, int maxDevices) {
    this.window = window;
    this.byDevice =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, LinkedHashMap<String, Boolean>> e) {
            return size() > maxDevices;
          }
        };
  }

  /** Records {@code id} for {@code device}; true if it was already among the recent ones. */
  boolean seenBefore(String device, String id) {
    LinkedHashMap<String, Boolean> ids =
        byDevice.computeIfAbsent(
            device,
            d ->
                new LinkedHashMap<>(16, 0.75f, false) {
                  @Override
                  protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
                    return size() > window;
                  }
                });
    return ids.put(id, Boolean.TRUE) != null;
  }
}
