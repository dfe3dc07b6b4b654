package io.edgegate.gateway.ingest.acl;

import io.edgegate.gateway.config.MqttAclConfig;
import io.edgegate.gateway.ingest.auth.DeviceIdentity;
import io.edgegate.gateway.mqtt.TopicFilters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configured ACL rules, parsed once. {@link #forDevice} substitutes a device's variables after
 * its CONNECT and gives the {@link DeviceAcl} that each of its publishes is checked against.
 * Immutable, thread-safe.
 */
public final class TopicAcl {
  private static final Pattern VARIABLE = Pattern.compile("\\{([^{}]*)}");

  private final boolean enabled;
  private final List<Rule> rules;

  private record Rule(
      boolean publish, boolean subscribe, Set<String> users, List<String> filters) {}

  private TopicAcl(boolean enabled, List<Rule> rules) {
    this.enabled = enabled;
    this.rules = rules;
  }

  /** The rules of a validated configuration. */
  public static TopicAcl of(MqttAclConfig config) {
    List<Rule> rules = new ArrayList<>();
    for (MqttAclConfig.Rule r : config.rules) {
      boolean pub = r.access != MqttAclConfig.Access.SUBSCRIBE;
      boolean sub = r.access != MqttAclConfig.Access.PUBLISH;
      rules.add(
          new Rule(
              pub, sub, Set.copyOf(r.users == null ? List.of() : r.users), List.copyOf(r.topics)));
    }
    return new TopicAcl(config.enabled, List.copyOf(rules));
  }

  /** Every topic allowed (ACL off). */
  public static TopicAcl allowAll() {
    return new TopicAcl(false, List.of());
  }

  /** The filters that apply to {@code device}, variables replaced. */
  public DeviceAcl forDevice(DeviceIdentity device) {
    if (!enabled) {
      return DeviceAcl.ALLOW_ALL;
    }
    List<String[]> publish = new ArrayList<>();
    List<String[]> subscribe = new ArrayList<>();
    for (Rule rule : rules) {
      if (!rule.users().isEmpty()
          && (device.identity() == null || !rule.users().contains(device.identity()))) {
        continue;
      }
      for (String filter : rule.filters()) {
        String concrete = substitute(filter, device);
        if (concrete == null) {
          continue;
        }
        String[] levels = TopicFilters.levels(concrete);
        if (rule.publish()) {
          publish.add(levels);
        }
        if (rule.subscribe()) {
          subscribe.add(levels);
        }
      }
    }
    return new DeviceAcl(publish.toArray(String[][]::new), subscribe.toArray(String[][]::new));
  }

  /**
   * {@code filter} with the device's values, or null when a variable has no value or one that would
   * change the filter's structure (a level separator or wildcard): the rule does not apply.
   */
  static String substitute(String filter, DeviceIdentity device) {
    if (filter.indexOf('{') < 0) {
      return filter;
    }
    Matcher m = VARIABLE.matcher(filter);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = device.variable(m.group(1));
      if (value == null
          || value.isEmpty()
          || value.indexOf('/') >= 0
          || value.indexOf('+') >= 0
          || value.indexOf('#') >= 0
          || value.indexOf(0) >= 0) {
        return null;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
