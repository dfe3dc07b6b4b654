package io.edgegate.gateway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mqtt.acl.*}: where each device may publish and subscribe. A topic is allowed when any rule
 * whose {@code access} covers the operation has a matching topic filter; otherwise it is refused
 * (MQTT 5: PUBACK/PUBREC 0x87, SUBACK 0x87; MQTT 3.1.1: see {@code mqtt311Refusal}) and never
 * journaled.
 *
 * <p>Filters are MQTT topic filters ({@code +} one level, {@code #} the rest) with variables
 * replaced per connection after CONNECT: {@code {clientId}}, {@code {username}}, {@code {identity}}
 * (the authenticated id: certificate field or user name), {@code {cert.cn}}, {@code {cert.o}},
 * {@code {cert.ou}}, {@code {cert.san}} (the SAN named by {@code mqtt.tls.deviceIdFrom}, else the
 * first DNS name). A rule whose variable has no value for a connection (no user name, no
 * certificate), or a value holding {@code /}, {@code +} or {@code #}, does not apply to it: a
 * variable never widens a rule.
 */
public final class MqttAclConfig {
  /** The variables a topic filter may use. */
  public static final Set<String> VARIABLES =
      Set.of("clientId", "username", "identity", "cert.cn", "cert.o", "cert.ou", "cert.san");

  private static final Pattern VARIABLE = Pattern.compile("\\{([^{}]*)}");

  /** What a rule grants. */
  public enum Access {
    PUBLISH,
    SUBSCRIBE,
    ALL
  }

  /** What an MQTT 3.1.1 device, which has no negative PUBACK, gets for a refused publish. */
  public enum Mqtt311Refusal {
    /** The connection is closed (the event is not acknowledged). */
    DISCONNECT,
    /** The event is acknowledged and discarded (as many brokers do); it is still counted. */
    DROP
  }

  /** One rule: topic filters, the access they grant, and optionally whom they apply to. */
  public static final class Rule {
    @KeyDoc(
        "MQTT topic filters (`+` one level, `#` the rest), with variables such as "
            + "`{clientId}`; at least one.")
    public List<String> topics = new ArrayList<>();

    @KeyDoc("What the rule grants: `publish`, `subscribe` or `all`.")
    public Access access = Access.PUBLISH;

    @KeyDoc(
        "Identities (user names or certificate ids) the rule is for; empty: every device,"
            + " anonymous ones included.")
    public List<String> users = new ArrayList<>();

    public Rule() {}

    public Rule(Access access, List<String> topics) {
      this.access = access;
      this.topics = new ArrayList<>(topics);
    }
  }

  @KeyDoc("Off: every device may publish anywhere (a trusted network only).")
  public boolean enabled = true;

  @KeyDoc(
      defaultValue = "publish `devices/{clientId}/#`; subscribe `devices/{clientId}/commands/#`",
      value =
          "The rules; the default confines each device to publishing under `devices/<its "
              + "client id>/…` and subscribing to its commands, `devices/<its client "
              + "id>/commands/…`.")
  public List<Rule> rules =
      new ArrayList<>(
          List.of(
              new Rule(Access.PUBLISH, List.of("devices/{clientId}/#")),
              new Rule(Access.SUBSCRIBE, List.of("devices/{clientId}/commands/#"))));

  @KeyDoc(
      "What an MQTT 3.1.1 device, which has no negative PUBACK, gets for a publish the "
          + "rules refuse: `disconnect` (the connection is closed, the event not "
          + "acknowledged) or `drop` (acknowledged and discarded, as many brokers do; still "
          + "counted).")
  public Mqtt311Refusal mqtt311Refusal = Mqtt311Refusal.DISCONNECT;

  void validate(Problems problems) {
    problems.require(
        mqtt311Refusal != null, "mqtt.acl.mqtt311Refusal", "must be disconnect or drop");
    if (rules == null) {
      problems.add("mqtt.acl.rules", "must be a list of rules (may be empty)");
      return;
    }
    for (int r = 0; r < rules.size(); r++) {
      Rule rule = rules.get(r);
      String key = "mqtt.acl.rules[" + r + "]";
      if (rule == null) {
        problems.add(key, "must be a rule with topics and access");
        continue;
      }
      problems.require(rule.access != null, key + ".access", "must be publish, subscribe or all");
      if (rule.topics == null || rule.topics.isEmpty()) {
        problems.add(key + ".topics", "must list at least one topic filter");
        continue;
      }
      for (int t = 0; t < rule.topics.size(); t++) {
        String problem = filterProblem(rule.topics.get(t));
        if (problem != null) {
          problems.add(key + ".topics[" + t + "]", problem);
        }
      }
    }
  }

  /** Why {@code filter} is not a valid rule filter, or null. */
  public static String filterProblem(String filter) {
    if (filter == null || filter.isEmpty()) {
      return "must not be empty";
    }
    Matcher m = VARIABLE.matcher(filter);
    while (m.find()) {
      if (!VARIABLES.contains(m.group(1))) {
        return "unknown variable {"
            + m.group(1)
            + "} in '"
            + filter
            + "' (known: "
            + String.join(", ", new java.util.TreeSet<>(VARIABLES))
            + ")";
      }
    }
    String plain = m.replaceAll("x");
    if (plain.indexOf('{') >= 0 || plain.indexOf('}') >= 0) {
      return "unbalanced braces in '" + filter + "'";
    }
    String[] levels = plain.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      // [MQTT-4.7.1-2] '#' alone and last; [MQTT-4.7.1-3] '+' occupies a whole level.
      if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
        return "'#' must be the whole last level in '" + filter + "'";
      }
      if (level.contains("+") && !level.equals("+")) {
        return "'+' must be a whole level in '" + filter + "'";
      }
    }
    return null;
  }
}
