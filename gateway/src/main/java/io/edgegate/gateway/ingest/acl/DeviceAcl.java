package io.edgegate.gateway.ingest.acl;

import io.edgegate.gateway.mqtt.TopicFilters;

/**
 * One connection's ACL: the filters of its rules with its variables replaced. Not thread-safe (it
 * remembers the last topic allowed): one per connection, used on its event loop.
 */
public final class DeviceAcl {
  /** Everything allowed (ACL off). */
  public static final DeviceAcl ALLOW_ALL = new DeviceAcl(null, null);

  private final String[][] publish;
  private final String[][] subscribe;
  private String lastAllowed; // devices publish to few topics: most checks are one equals()

  DeviceAcl(String[][] publish, String[][] subscribe) {
    this.publish = publish;
    this.subscribe = subscribe;
  }

  /** True if the device may publish to topic name {@code topic}. */
  public boolean mayPublish(String topic) {
    if (publish == null || topic.equals(lastAllowed)) {
      return true;
    }
    for (String[] filter : publish) {
      if (TopicFilters.matches(filter, topic)) {
        if (this != ALLOW_ALL) {
          lastAllowed = topic;
        }
        return true;
      }
    }
    return false;
  }

  /** True if the device may subscribe to topic filter {@code filter}. */
  public boolean maySubscribe(String filter) {
    if (subscribe == null) {
      return true;
    }
    String[] levels = TopicFilters.levels(filter);
    for (String[] rule : subscribe) {
      if (TopicFilters.covers(rule, levels)) {
        return true;
      }
    }
    return false;
  }

  /** The publish filters (for tests and logs). */
  public int publishFilters() {
    return publish == null ? -1 : publish.length;
  }
}
