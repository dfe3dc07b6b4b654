package io.edgegate.gateway.cli;

import io.edgegate.gateway.config.ConfigFiles;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.Problems;
import io.edgegate.gateway.config.TlsFiles;
import io.edgegate.gateway.forward.ProducerSettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;

/**
 * Checks {@code kafka.producer.*} with the Kafka client's own parsers, as the producer will read
 * them, without reaching a broker: value types and ranges, the key and trust stores (they open with
 * their passwords), and a JAAS login for SASL. The producer would otherwise fail only when it is
 * constructed, after the listeners are up.
 */
final class KafkaClientCheck {
  private KafkaClientCheck() {}

  static void producer(GatewayConfig config, Problems problems) {
    ConfigDef def = ProducerConfig.configDef();
    int before = problems.list().size();
    config.kafka.producer.forEach(
        (name, value) -> {
          ConfigDef.ConfigKey key = def.configKeys().get(name);
          if (key == null) {
            return; // passed on as it is, like the producer does (interceptors, plug-ins)
          }
          try {
            Object parsed = ConfigDef.parseType(name, value, key.type);
            if (key.validator != null) {
              key.validator.ensureValid(name, parsed);
            }
          } catch (org.apache.kafka.common.config.ConfigException e) {
            problems.add("kafka.producer." + name, kafkaMessage(e));
          }
        });
    if (problems.list().size() > before) {
      return;
    }
    String bootstrap =
        config.kafka.embedded.enabled ? "127.0.0.1:9092" : config.kafka.bootstrapServers;
    Map<String, Object> values;
    try {
      values = def.parse(ProducerSettings.of(config, bootstrap));
    } catch (org.apache.kafka.common.config.ConfigException e) {
      problems.add("kafka.producer", kafkaMessage(e));
      return;
    }
    String protocol = String.valueOf(values.get("security.protocol")).toUpperCase(Locale.ROOT);
    if (protocol.endsWith("SSL")) {
      stores(config, values, problems);
    }
    if (protocol.startsWith("SASL_")) {
      try {
        JaasContext.loadClientContext(values);
      } catch (RuntimeException e) {
        problems.add(
            "kafka.producer." + SaslConfigs.SASL_JAAS_CONFIG,
            "security.protocol is "
                + protocol
                + " and there is no usable login ("
                + TlsFiles.cause(e)
                + "); set it, e.g. EDGEGATE_KAFKA_PRODUCER__SASL_JAAS_CONFIG='${file:/etc/edgegate/kafka-jaas}'");
      }
    }
  }

  /** The key and trust stores open as the client would open them. */
  private static void stores(GatewayConfig config, Map<String, Object> values, Problems problems) {
    int before = problems.list().size();
    for (String name :
        new String[] {
          SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG
        }) {
      Object location = values.get(name);
      if (location != null) {
        ConfigFiles.read(Path.of(location.toString()), "kafka.producer." + name, problems);
      }
    }
    if (problems.list().size() > before) {
      return;
    }
    DefaultSslEngineFactory factory = new DefaultSslEngineFactory();
    try {
      factory.configure(values);
    } catch (RuntimeException e) {
      problems.add(
          "kafka.producer.ssl.*", "the key or trust store cannot be used: " + TlsFiles.cause(e));
    } finally {
      try {
        factory.close();
      } catch (Exception ignored) {
        // nothing was opened that outlives the check
      }
    }
  }

  /** Kafka's message names the setting already; the key is in front of ours. */
  private static String kafkaMessage(org.apache.kafka.common.config.ConfigException e) {
    String m = e.getMessage() == null ? "invalid" : e.getMessage();
    return m.replace('\n', ' ');
  }
}
