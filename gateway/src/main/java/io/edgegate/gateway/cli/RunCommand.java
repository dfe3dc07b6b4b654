package io.edgegate.gateway.cli;

import io.edgegate.gateway.Gateway;
import io.edgegate.gateway.config.ConfigException;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.MqttTlsConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgegate run --config FILE}: runs the gateway until SIGTERM or SIGINT; exits 0 after a
 * clean stop, 1 if it could not start or stop cleanly (see {@link Shutdown} for a second signal).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Run the gateway.")
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "The YAML configuration file (see config/).")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    // The same checks as `config check`, before a port is bound or Kafka reached.
    GatewayConfig config = ConfigCheck.loadChecked(configFile);
    Shutdown shutdown = Shutdown.install();
    ConfigReload reload = ConfigReload.install(configFile);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    log.info(MemoryReport.line());
    String mismatch = MemoryReport.mismatch(config.memory);
    if (mismatch != null) {
      log.warn(mismatch);
    }
    Gateway gateway;
    try {
      gateway =
          Gateway.start(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
              .await(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      vertx.close().await(30, TimeUnit.SECONDS);
      ConfigException bad = EdgeGateCommand.configProblem(e);
      if (bad != null) {
        throw bad; // exit 2, one line: restarting would not mend it
      }
      log.error("EdgeGate could not start: {}", EdgeGateCommand.describe(e), e);
      return EdgeGateCommand.EXIT_RUNTIME;
    }
    // From the JVM's start, JVM start-up and configuration included: what an operator waits.
    long startMillis =
        System.currentTimeMillis()
            - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    StartupSummary.log(gateway);
    log.info("EdgeGate {} '{}' ready in {} ms", Version.get(), config.gateway.id, startMillis);
    printReady(System.out, gateway, startMillis);

    reload.running(gateway);
    shutdown.onExit(() -> stop(gateway, vertx, config));
    shutdown.awaitRequest();
    boolean clean = shutdown.stopOnce(() -> stop(gateway, vertx, config));
    if (clean) {
      ClassDataArchive.cleanStop();
    }
    return clean ? 0 : EdgeGateCommand.EXIT_RUNTIME;
  }

  /**
   * Stops listeners, journal, forwarder (in-flight sends get {@code forward.closeTimeout}) and
   * Vert.x; true when everything stopped in time.
   */
  private static boolean stop(Gateway gateway, Vertx vertx, GatewayConfig config) {
    long timeout = Shutdown.stopTimeout(config.forward.closeTimeout).toSeconds();
    try {
      gateway.close().await(timeout, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
      log.info("EdgeGate stopped");
      return true;
    } catch (Exception e) {
      log.error("EdgeGate did not stop cleanly", e);
      return false;
    }
  }

  static void printReady(PrintStream out, Gateway gateway, long startMillis) {
    GatewayConfig c = gateway.config();
    String mqttHost = "0.0.0.0".equals(c.mqtt.host) ? "127.0.0.1" : c.mqtt.host;
    int port = gateway.mqttPort();
    String kafka = gateway.bootstrapServers();
    out.printf(
        "%nEdgeGate %s: gateway '%s' ready in %.1f s%n",
        Version.get(), c.gateway.id, startMillis / 1000.0);
    boolean tls = c.mqtt.tls.on();
    out.printf(
        "  MQTT     %s://%s:%d  %s%n",
        tls ? "mqtts" : "mqtt", mqttHost, port, StartupSummary.listenerSecurity(c.mqtt));
    out.printf(
        "  Kafka    %s%s -> topic %s (dead letters: %s)%n",
        kafka,
        c.kafka.embedded.enabled ? " (embedded broker, demo only)" : "",
        c.kafka.topic,
        c.kafka.deadLetterTopic);
    if (gateway.adminPort() > 0) {
      String adminHost = "0.0.0.0".equals(c.admin.host) ? "127.0.0.1" : c.admin.host;
      String admin = StartupSummary.adminScheme(c) + "://" + adminHost + ":" + gateway.adminPort();
      out.printf("  Console  %s/%n", admin);
      out.printf("  Admin    %s/health/ready  %s/metrics%n", admin, admin);
    }
    out.printf(
        "  Journal  %s (sync: %s)%n",
        gateway.journal().dir().toAbsolutePath().normalize(),
        c.journal.sync.name().toLowerCase(java.util.Locale.ROOT));
    out.printf("%nTry it (device id = MQTT client id = Kafka key):%n");
    StringBuilder device = new StringBuilder();
    if (tls) {
      // The CA that signed mqtt.tls.certFile; a host name the certificate names.
      device.append(" --cafile ca.crt");
      if (c.mqtt.tls.clientAuth != MqttTlsConfig.ClientAuth.NONE) {
        device.append(" --cert dev-1.crt --key dev-1.key");
      }
    }
    if (c.mqtt.auth.passwordFile != null) {
      device.append(" -u dev-1 -P \"$PASSWORD\"");
    }
    out.printf(
        "  mosquitto_pub -h %s -p %d%s -q 1 -i dev-1 -t devices/dev-1/telemetry -m '{\"temp\":21.5}'%n",
        mqttHost, port, device);
    out.printf(
        "  kcat -b %s -C -t %s -o beginning -e -f 'key=%%k partition=%%p offset=%%o\\nheaders=%%h\\nvalue=%%s\\n\\n'%n%n",
        kafka, c.kafka.topic);
    out.flush();
  }
}
