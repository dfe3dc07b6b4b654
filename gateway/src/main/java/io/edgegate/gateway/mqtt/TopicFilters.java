package io.edgegate.gateway.mqtt;

/**
 * MQTT topic matching on filters split into levels. Matching allocates nothing: it runs for every
 * PUBLISH.
 */
public final class TopicFilters {
  private TopicFilters() {}

  /** {@code filter} split at {@code /}, keeping empty levels. */
  public static String[] levels(String filter) {
    return filter.split("/", -1);
  }

  /** True if topic name {@code topic} matches the filter {@code filter} (section 4.7). */
  public static boolean matches(String[] filter, String topic) {
    int n = topic.length();
    int pos = 0; // start of the current topic level; n + 1 once every level was consumed
    for (int i = 0; i < filter.length; i++) {
      String f = filter[i];
      if (f.equals("#")) {
        // [MQTT-4.7.2-1] A filter starting with a wildcard does not match a topic starting with $.
        // '#' also matches the parent level: "a/#" matches "a" (4.7.1.2).
        return !(i == 0 && n > 0 && topic.charAt(0) == '$');
      }
      if (pos > n) {
        return false; // the topic has fewer levels
      }
      int end = topic.indexOf('/', pos);
      if (end < 0) {
        end = n;
      }
      if (f.equals("+")) {
        if (i == 0 && n > 0 && topic.charAt(0) == '$') {
          return false;
        }
      } else if (end - pos != f.length() || !topic.regionMatches(pos, f, 0, f.length())) {
        return false;
      }
      pos = end + 1;
    }
    return pos == n + 1;
  }

  /**
   * True if every topic that {@code filter} (a device's SUBSCRIBE) matches is also matched by
   * {@code rule}: the subscription asks for nothing the rule does not grant.
   */
  public static boolean covers(String[] rule, String[] filter) {
    for (int i = 0; i < rule.length; i++) {
      String r = rule[i];
      if (r.equals("#")) {
        return !(i == 0 && filter.length > 0 && filter[0].startsWith("$"));
      }
      if (i >= filter.length) {
        return false;
      }
      String s = filter[i];
      if (s.equals("#")) {
        return false; // the device asks for every level below; the rule grants less
      }
      if (r.equals("+")) {
        if (i == 0 && s.startsWith("$")) {
          return false;
        }
        continue;
      }
      if (s.equals("+") || !r.equals(s)) {
        return false;
      }
    }
    return filter.length == rule.length;
  }

  /** True if {@code topic} is a valid topic name for PUBLISH (section 4.7.3, 1.5.4). */
  public static boolean validTopicName(String topic) {
    if (topic == null || topic.isEmpty()) {
      return false; // [MQTT-4.7.3-1] at least one character
    }
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      // [MQTT-3.3.2-2] no wildcards in a topic name; [MQTT-4.7.3-2] no U+0000;
      // U+FFFD stands for bytes that were not valid UTF-8 [MQTT-1.5.4-1].
      if (c == '+' || c == '#' || c == 0 || c == '\uFFFD' || Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < topic.length()
            && Character.isLowSurrogate(topic.charAt(i + 1))) {
          i++; // a valid pair
          continue;
        }
        return false;
      }
    }
    return true;
  }

  /** True if {@code filter} is a valid SUBSCRIBE topic filter (section 4.7.1). */
  public static boolean validFilter(String filter) {
    if (filter == null || filter.isEmpty() || filter.indexOf(0) >= 0) {
      return false;
    }
    String[] levels = levels(filter);
    for (int i = 0; i < levels.length; i++) {
      String l = levels[i];
      if (l.contains("#") && (!l.equals("#") || i != levels.length - 1)) {
        return false;
      }
      if (l.contains("+") && !l.equals("+")) {
        return false;
      }
    }
    return true;
  }
}
