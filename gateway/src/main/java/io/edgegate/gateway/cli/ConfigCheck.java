package io.edgegate.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.ConfigException;
import io.edgegate.gateway.config.ConfigFiles;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.MqttConfig;
import io.edgegate.gateway.config.MqttTlsConfig;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.config.Problems;
import io.edgegate.gateway.config.TlsFiles;
import io.edgegate.gateway.forward.EmbeddedKafka;
import io.edgegate.gateway.ingest.auth.Authenticator;
import io.edgegate.gateway.ingest.auth.PasswordFile;
import io.edgegate.gateway.pipeline.EventProcessor;
import io.edgegate.gateway.pipeline.PipelineStats;
import io.edgegate.gateway.pipeline.enrich.DeviceRegistry;
import io.edgegate.gateway.pipeline.schema.SchemaCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * What a valid configuration refers to, checked on this machine as the user that runs the gateway:
 * the files it names exist, can be read and parse (certificates match their keys, key stores open,
 * password files are bcrypt), some device can authenticate, TLS is chosen off loopback, Kafka's
 * settings parse and SASL has a login. {@code config check}, {@code run} (before it binds a port or
 * reaches Kafka) and a reload all run exactly these checks, so none of them can accept what another
 * refuses. Nothing here connects anywhere. It lives with the commands, not in {@code config}: it
 * builds what the stages build (authenticator, password file, pipeline), and {@code config} is what
 * every stage reads, below them all.
 *
 * <p>A new key that names a file or needs a look at the machine adds one {@link Check} to {@link
 * #CHECKS} (using {@link ConfigFiles} and {@link TlsFiles}), and its problems name the key.
 */
final class ConfigCheck {
  /** One look at the machine for a part of the configuration; adds what it finds to problems. */
  @FunctionalInterface
  public interface Check {
    void check(GatewayConfig config, Problems problems);
  }

  private static final List<Check> CHECKS =
      List.of(
          ConfigCheck::deviceListener,
          ConfigCheck::deviceTls,
          ConfigCheck::passwordFile,
          ConfigCheck::storage,
          ConfigCheck::pipeline,
          ConfigCheck::embeddedBroker,
          KafkaClientCheck::producer);

  private ConfigCheck() {}

  /**
   * Loads {@code file} as {@link ConfigLoader#load(Path)} does, then runs every check: what {@code
   * config check}, {@code run} and a reload use, so that all three accept the same files.
   */
  static GatewayConfig loadChecked(Path file) {
    return loadChecked(file, System.getenv());
  }

  /** {@link #loadChecked(Path)} with the configuration variables of {@code env} applied. */
  static GatewayConfig loadChecked(Path file, Map<String, String> env) {
    GatewayConfig config = ConfigLoader.load(file, env);
    verify(file.toString(), config);
    return config;
  }

  /** Runs every check; throws a {@link ConfigException} naming each problem's key. */
  static void verify(String source, GatewayConfig config) {
    Problems problems = new Problems();
    for (Check check : CHECKS) {
      check.check(config, problems);
    }
    if (!problems.list().isEmpty()) {
      throw new ConfigException(source, problems.list());
    }
  }

  private static void deviceListener(GatewayConfig config, Problems problems) {
    MqttConfig mqtt = config.mqtt;
    if (mqtt.tls.enabled == null && !MqttTlsConfig.isLoopback(mqtt.host)) {
      problems.add(
          "mqtt.tls.enabled",
          "must be set when mqtt.host ("
              + mqtt.host
              + ") is not a loopback address: true for TLS (mqtt.tls.certFile, keyFile), or false"
              + " to accept plain TCP");
    }
    String noWayIn = Authenticator.noWayIn(mqtt);
    if (noWayIn != null) {
      problems.list().add(noWayIn);
    }
  }

  private static void deviceTls(GatewayConfig config, Problems problems) {
    MqttTlsConfig tls = config.mqtt.tls;
    if (!tls.on()) {
      return;
    }
    TlsFiles.keyPair("mqtt.tls.certFile", tls.certFile, "mqtt.tls.keyFile", tls.keyFile, problems);
    if (tls.clientAuth != MqttTlsConfig.ClientAuth.NONE) {
      TlsFiles.certificates("mqtt.tls.clientCaFile", tls.clientCaFile, problems);
    }
  }

  private static void passwordFile(GatewayConfig config, Problems problems) {
    var file = config.mqtt.auth.passwordFile;
    if (file == null) {
      return;
    }
    byte[] bytes = ConfigFiles.read(file, "mqtt.auth.passwordFile", problems);
    if (bytes != null) {
      try {
        PasswordFile.parse(file.toString(), new String(bytes, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        problems.add("mqtt.auth.passwordFile", e.getMessage());
      }
    }
  }

  private static void storage(GatewayConfig config, Problems problems) {
    ConfigFiles.writableDirectory(config.gateway.dataDir, "gateway.dataDir", problems);
    if (config.journal.dir != null) {
      ConfigFiles.writableDirectory(config.journal.dir, "journal.dir", problems);
    }
  }

  private static void pipeline(GatewayConfig config, Problems problems) {
    PipelineConfig p = config.pipeline;
    int before = problems.list().size();
    if (p.registry.file != null
        && ConfigFiles.read(p.registry.file, "pipeline.registry.file", problems) != null) {
      try {
        new DeviceRegistry(p.registry.file).reloadIfChanged();
      } catch (Exception e) {
        problems.add("pipeline.registry.file", TlsFiles.cause(e));
      }
    }
    try {
      SchemaCatalog.load(p.schemas, new ObjectMapper());
    } catch (Exception e) {
      problems.add("pipeline.schemas", TlsFiles.cause(e));
    }
    if (problems.list().size() == before) {
      try {
        EventProcessor.load(config, PipelineStats.NONE);
      } catch (Exception e) {
        problems.add("pipeline", TlsFiles.cause(e));
      }
    }
  }

  private static void embeddedBroker(GatewayConfig config, Problems problems) {
    if (config.kafka.embedded.enabled
        && ServiceLoader.load(EmbeddedKafka.Provider.class).findFirst().isEmpty()) {
      problems.add(
          "kafka.embedded.enabled",
          "is true but the embedded broker is not installed (demo only: module"
              + " edgegate-embedded-kafka); set kafka.bootstrapServers instead");
    }
  }
}
