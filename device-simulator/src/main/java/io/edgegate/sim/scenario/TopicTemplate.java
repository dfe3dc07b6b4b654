package io.edgegate.sim.scenario;

/** A topic with {@code {deviceId}} placeholders. Immutable. */
public final class TopicTemplate {
  public static final String DEVICE_ID = "{deviceId}";

  private TopicTemplate() {}

  public static String expand(String template, String deviceId) {
    return template.replace(DEVICE_ID, deviceId);
  }

  static void validate(String template, String key, Problems p) {
    if (template == null || template.isEmpty()) {
      p.add(key, "must not be empty");
      return;
    }
    // [MQTT-3.3.2-2] The Topic Name in a PUBLISH packet MUST NOT contain wildcard characters.
    p.require(
        template.indexOf('+') < 0 && template.indexOf('#') < 0,
        key,
        "must not contain the wildcards + or # (was '" + template + "')");
    String rest = template.replace(DEVICE_ID, "");
    p.require(
        rest.indexOf('{') < 0 && rest.indexOf('}') < 0,
        key,
        "the only placeholder is {deviceId} (was '" + template + "')");
  }
}
