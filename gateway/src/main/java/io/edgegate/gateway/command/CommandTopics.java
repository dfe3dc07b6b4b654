package io.edgegate.gateway.command;

import io.edgegate.gateway.config.CommandsConfig;
import io.edgegate.gateway.mqtt.TopicFilters;

/**
 * The MQTT topics of commands and responses, from {@code commands.mqttTopic} and {@code
 * commands.responseTopic}. Immutable, thread-safe.
 */
public final class CommandTopics {
  private final String commandTemplate;
  private final String responseTemplate;

  public CommandTopics(CommandsConfig config) {
    this.commandTemplate = config.mqttTopic;
    this.responseTemplate = config.responseTopic;
  }

  /** True if a device id or command name can stand in one topic level. */
  static boolean validLevel(String value) {
    return value != null
        && !value.isEmpty()
        && value.indexOf('/') < 0
        && value.indexOf('+') < 0
        && value.indexOf('#') < 0
        && value.indexOf(0) < 0;
  }

  public String command(String deviceId, String name) {
    return commandTemplate.replace("{deviceId}", deviceId).replace("{name}", name);
  }

  public String response(String deviceId, String name) {
    return responseTemplate.replace("{deviceId}", deviceId).replace("{name}", name);
  }

  /** True if {@code topic} is one of the response topics of device {@code clientId}. */
  public boolean isResponseTopic(String clientId, String topic) {
    if (!validLevel(clientId)) {
      return false;
    }
    String filter = responseTemplate.replace("{deviceId}", clientId).replace("{name}", "+");
    return TopicFilters.matches(TopicFilters.levels(filter), topic);
  }

  /**
   * The response topics as a route pattern ({@code {name}} captures a level): {@code
   * devices/{deviceId}/responses/{name}}.
   */
  public static String routePattern(CommandsConfig config) {
    return config.responseTopic;
  }
}
