package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code commands.*}: commands from Kafka to devices. A consumer reads {@code topic} (key = device
 * id), delivers each command to the device's subscription on {@code mqttTopic}, and reports the
 * outcome on {@code outcomesTopic}; device responses (MQTT 5 request/response) go to {@code
 * responsesTopic}.
 */
public final class CommandsConfig {
  @KeyDoc("Commands from Kafka to devices; off by default: the gateway then consumes nothing.")
  public boolean enabled = false;

  @KeyDoc("The Kafka topic of commands; record key = device id (client id).")
  public String topic = "edgegate.commands";

  @KeyDoc(
      value =
          "The commands consumer's group; the consumer is a static member "
              + "(`group.instance.id = edgegate-<gateway.id>`).",
      defaultValue = "`edgegate-commands-<gateway.id>`")
  public String groupId;

  @KeyDoc(
      "MQTT topic a command is published on: `{deviceId}` and `{name}` (the command "
          + "name header) are replaced.")
  public String mqttTopic = "devices/{deviceId}/commands/{name}";

  @KeyDoc(
      "MQTT 5 Response Topic sent with a command that wants a response; the device's "
          + "PUBLISH there is journaled and routed to `responsesTopic`. The device may "
          + "publish to it.")
  public String responseTopic = "devices/{deviceId}/responses/{name}";

  @KeyDoc("Kafka topic of outcomes (delivered, queued, expired, refused), key = device id, JSON.")
  public String outcomesTopic = "edgegate.command-outcomes";

  @KeyDoc("Kafka topic that device responses are routed to.")
  public String responsesTopic = "edgegate.command-responses";

  @KeyDoc("QoS of a command without a `command_qos` header.")
  public int defaultQos = 1;

  @KeyDoc("Time to live of a command without a `command_ttl` header, from its record timestamp.")
  @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
  public Duration defaultTtl = Duration.ofHours(1);

  @KeyDoc(
      value =
          "Commands read and not yet settled (delivered, queued on disk, expired or "
              + "refused); over it the consumer pauses.",
      unit = "commands")
  public int maxInFlight = 1000;

  @KeyDoc(
      "Extra Kafka consumer properties; the `security.*`, `ssl.*` and `sasl.*` settings"
          + " of `kafka.producer` apply too.")
  public Map<String, String> consumer = new LinkedHashMap<>();

  /** The consumer group id in effect. */
  public String effectiveGroupId(String gatewayId) {
    return groupId != null && !groupId.isBlank() ? groupId : "edgegate-commands-" + gatewayId;
  }

  void validate(Problems problems) {
    problems.notBlank(topic, "commands.topic");
    problems.notBlank(outcomesTopic, "commands.outcomesTopic");
    problems.notBlank(responsesTopic, "commands.responsesTopic");
    templateProblem(problems, mqttTopic, "commands.mqttTopic");
    templateProblem(problems, responseTopic, "commands.responseTopic");
    problems.require(
        defaultQos >= 0 && defaultQos <= 2,
        "commands.defaultQos",
        "must be 0, 1 or 2 (was " + defaultQos + ")");
    problems.require(
        defaultTtl != null && defaultTtl.toMillis() >= 1000,
        "commands.defaultTtl",
        "must be at least 1s");
    problems.require(
        maxInFlight >= 1 && maxInFlight <= 1_000_000,
        "commands.maxInFlight",
        "must be from 1 to 1000000 (was " + maxInFlight + ")");
    problems.require(consumer != null, "commands.consumer", "must be a map (may be empty)");
  }

  private static void templateProblem(Problems problems, String template, String key) {
    if (template == null || template.isBlank()) {
      problems.add(key, "must not be empty");
      return;
    }
    String plain = template.replace("{deviceId}", "x").replace("{name}", "x");
    if (plain.contains("{") || plain.contains("}")) {
      problems.add(key, "may use only {deviceId} and {name} (was '" + template + "')");
    } else if (plain.contains("+") || plain.contains("#")) {
      problems.add(key, "must be a topic name, without wildcards (was '" + template + "')");
    } else if (!template.contains("{deviceId}")) {
      problems.add(key, "must contain {deviceId}, so that each device has its own topic");
    }
  }
}
