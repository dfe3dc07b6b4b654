package io.edgegate.gateway.cli;

import io.edgegate.gateway.config.GatewayConfig;
import java.nio.file.Path;
import picocli.CommandLine;

/** Which Kafka a command that reads from or writes to the gateway's cluster talks to. */
final class KafkaAddress {
  private KafkaAddress() {}

  /**
   * {@code override} if given, else {@code kafka.bootstrapServers}, or the embedded broker's
   * address; an embedded broker on port 0 (a free port picked at start) must be named.
   */
  static String of(CommandLine cl, GatewayConfig config, String override, Path configFile) {
    if (override != null) {
      return override;
    }
    if (!config.kafka.embedded.enabled) {
      return config.kafka.bootstrapServers;
    }
    if (config.kafka.embedded.port == 0) {
      throw new CommandLine.ParameterException(
          cl,
          "kafka.embedded.port is 0 in "
              + configFile
              + " (the broker picked a free port at start): name it with --bootstrap-servers");
    }
    return config.kafka.embedded.host + ":" + config.kafka.embedded.port;
  }
}
