package io.edgegate.gateway.session;

import io.edgegate.gateway.mqtt.TopicFilters;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A session's subscriptions: topic filter to granted QoS, in the order they were made, bounded by
 * the caller's {@code max}. <b>Not thread-safe: guarded by its session's lock</b>, which every
 * method asserts.
 */
final class SessionSubscriptions {
  private final Object lock;
  // Allocated on the first write (most sessions never subscribe).
  private Map<String, Integer> byFilter = Collections.emptyMap();

  SessionSubscriptions(Object lock) {
    this.lock = lock;
  }

  private Map<String, Integer> writable() {
    if (byFilter.isEmpty() && !(byFilter instanceof LinkedHashMap)) {
      byFilter = new LinkedHashMap<>();
    }
    return byFilter;
  }

  /**
   * Adds or replaces a subscription [MQTT-3.8.4-3]. False when {@code max} other filters are held
   * already.
   */
  boolean subscribe(String filter, int qos, int max) {
    assert Thread.holdsLock(lock);
    if (!byFilter.containsKey(filter) && byFilter.size() >= max) {
      return false;
    }
    writable().put(filter, qos);
    return true;
  }

  boolean unsubscribe(String filter) {
    assert Thread.holdsLock(lock);
    return byFilter.remove(filter) != null;
  }

  /** The highest QoS of the filters matching {@code topic}; -1 when none matches. */
  int grantedQos(String topic) {
    assert Thread.holdsLock(lock);
    int best = -1;
    for (Map.Entry<String, Integer> s : byFilter.entrySet()) {
      if (s.getValue() > best && TopicFilters.matches(TopicFilters.levels(s.getKey()), topic)) {
        best = s.getValue();
      }
    }
    return best;
  }

  /** The subscriptions in order, to read while the lock is held. */
  Map<String, Integer> view() {
    assert Thread.holdsLock(lock);
    return Collections.unmodifiableMap(byFilter);
  }

  /** A subscription read from disk. */
  void restore(String filter, int qos) {
    assert Thread.holdsLock(lock);
    writable().put(filter, qos);
  }
}
