package io.edgegate.gateway.cli;

import io.edgegate.gateway.Gateway;
import io.edgegate.gateway.config.ConfigPrinter;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.MqttConfig;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run}: what the started gateway listens on and where its events go, logged once it is
 * ready, one line per stage, with the settings an operator checks first. The logger is {@link
 * Gateway}'s, where these lines always were, so that log filters keep finding them.
 */
final class StartupSummary {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private StartupSummary() {}

  static void log(Gateway gateway) {
    GatewayConfig c = gateway.config();
    log.info(
        "MQTT: listening on {}:{}, {} ({} listener instances, max message {}, connect timeout {})",
        c.mqtt.host,
        gateway.mqttPort(),
        listenerSecurity(c.mqtt),
        c.mqtt.effectiveInstances(),
        ConfigPrinter.size(c.mqtt.maxMessageSize),
        ConfigPrinter.duration(c.mqtt.connectTimeout));
    log.info(
        "Journal: {} (sync {}, every {} or {}; roll {}; appends waiting at most {})",
        gateway.journal().dir().toAbsolutePath().normalize(),
        lower(c.journal.sync),
        ConfigPrinter.duration(c.journal.syncInterval),
        ConfigPrinter.size(c.journal.syncBytes),
        lower(c.journal.roll),
        ConfigPrinter.size(c.journal.maxPendingBytes));
    log.info(
        "Kafka: {}{} -> topic {}, dead letters {}, security {}",
        gateway.bootstrapServers(),
        c.kafka.embedded.enabled ? " (embedded broker: demo and tests only)" : "",
        c.kafka.topic,
        c.kafka.deadLetterTopic,
        c.kafka.producer.getOrDefault("security.protocol", "PLAINTEXT"));
    log.info(
        "Forward: at most {} in flight, {} events or {} buffered; retry {} to {}",
        ConfigPrinter.size(c.forward.maxInFlightBytes),
        c.forward.maxBufferedEvents,
        ConfigPrinter.size(c.forward.maxBufferedBytes),
        ConfigPrinter.duration(c.forward.retryBackoff),
        ConfigPrinter.duration(c.forward.retryBackoffMax));
    if (gateway.adminPort() > 0) {
      log.info(
          "Admin: {}://{}:{} (console /, /metrics, /health/live, /health/ready)",
          adminScheme(c),
          c.admin.host,
          gateway.adminPort());
    } else {
      log.info("Admin: endpoints off (admin.enabled: false)");
    }
  }

  /** {@code https} when the admin port speaks TLS, else {@code http}. */
  static String adminScheme(GatewayConfig c) {
    return c.admin.tls.enabled ? "https" : "http";
  }

  /**
   * {@code TLS (TLSv1.3, TLSv1.2), client certificates required, passwords}: what a device needs.
   */
  static String listenerSecurity(MqttConfig mqtt) {
    StringBuilder s = new StringBuilder();
    if (mqtt.tls.on()) {
      s.append("TLS (").append(String.join(", ", mqtt.tls.protocols)).append(')');
      s.append(
          switch (mqtt.tls.clientAuth) {
            case REQUIRED -> ", client certificates required (mTLS)";
            case OPTIONAL -> ", client certificates optional";
            case NONE -> ", no client certificates";
          });
    } else {
      s.append("plain TCP (no TLS)");
    }
    s.append(mqtt.auth.passwordFile != null ? ", passwords" : ", no passwords");
    if (mqtt.auth.anonymous) {
      s.append(", anonymous devices accepted");
    }
    return s.toString();
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
