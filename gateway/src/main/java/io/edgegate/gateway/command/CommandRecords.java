package io.edgegate.gateway.command;

import io.edgegate.gateway.config.CommandsConfig;
import io.edgegate.gateway.config.ConfigValues;
import io.edgegate.gateway.session.Command;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A Kafka record of the commands topic → a {@link Command}. Key: the device id (client id). Value:
 * the payload, as is. Headers (all optional, UTF-8 text):
 *
 * <ul>
 *   <li>{@code command_name}: the {@code {name}} of the MQTT topic (default {@code command});
 *   <li>{@code command_id}: the correlation id (default {@code <topic>-<partition>-<offset>});
 *   <li>{@code command_qos}: 0, 1 or 2 (default {@code commands.defaultQos});
 *   <li>{@code command_ttl}: time to live from the record timestamp, {@code 30s}, {@code 5m} or
 *       milliseconds (default {@code commands.defaultTtl});
 *   <li>{@code content_type}: sent as the MQTT 5 Content Type;
 *   <li>{@code command_response}: {@code true} to ask an MQTT 5 device for a response (Response
 *       Topic and Correlation Data = command id).
 * </ul>
 *
 * Stateless, thread-safe.
 */
final class CommandRecords {
  static final String NAME = "command_name";
  static final String ID = "command_id";
  static final String QOS = "command_qos";
  static final String TTL = "command_ttl";
  static final String CONTENT_TYPE = "content_type";
  static final String RESPONSE = "command_response";
  static final String DEFAULT_NAME = "command";

  private final CommandsConfig config;
  private final CommandTopics topics;

  CommandRecords(CommandsConfig config, CommandTopics topics) {
    this.config = config;
    this.topics = topics;
  }

  /** A record that cannot be a command; the reason goes into its refused outcome. */
  static final class InvalidCommand extends Exception {
    final String id;
    final String deviceId;

    InvalidCommand(String id, String deviceId, String reason) {
      super(reason, null, false, false);
      this.id = id;
      this.deviceId = deviceId;
    }
  }

  static String defaultId(ConsumerRecord<?, ?> r) {
    return r.topic() + "-" + r.partition() + "-" + r.offset();
  }

  Command parse(ConsumerRecord<String, byte[]> r) throws InvalidCommand {
    String id = header(r, ID);
    if (id == null || id.isEmpty()) {
      id = defaultId(r);
    }
    String deviceId = r.key();
    if (!CommandTopics.validLevel(deviceId)) {
      throw new InvalidCommand(id, deviceId, "invalid-device-id");
    }
    String name = header(r, NAME);
    if (name == null) {
      name = DEFAULT_NAME;
    }
    if (!CommandTopics.validLevel(name)) {
      throw new InvalidCommand(id, deviceId, "invalid-name");
    }
    int qos = config.defaultQos;
    String q = header(r, QOS);
    if (q != null) {
      try {
        qos = Integer.parseInt(q.trim());
      } catch (NumberFormatException e) {
        qos = -1;
      }
      if (qos < 0 || qos > 2) {
        throw new InvalidCommand(id, deviceId, "invalid-qos");
      }
    }
    Duration ttl = config.defaultTtl;
    String t = header(r, TTL);
    if (t != null) {
      try {
        ttl =
            t.trim().chars().allMatch(Character::isDigit)
                ? Duration.ofMillis(Long.parseLong(t.trim()))
                : ConfigValues.parseDuration(t);
      } catch (RuntimeException e) {
        throw new InvalidCommand(id, deviceId, "invalid-ttl");
      }
    }
    long base = r.timestamp() > 0 ? r.timestamp() : System.currentTimeMillis();
    long expiresAt = ttl.isZero() || ttl.isNegative() ? base : base + ttl.toMillis();
    boolean response = "true".equalsIgnoreCase(header(r, RESPONSE));
    byte[] payload = r.value() == null ? new byte[0] : r.value();
    return new Command(
        id,
        deviceId,
        name,
        topics.command(deviceId, name),
        payload,
        qos,
        expiresAt,
        header(r, CONTENT_TYPE),
        response ? topics.response(deviceId, name) : null);
  }

  static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
