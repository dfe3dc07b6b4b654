package io.edgegate.gateway.cli;

import io.edgegate.gateway.Gateway;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgegate run --config FILE}: runs the gateway until SIGTERM or SIGINT. */
@Command(name = "run", description = "Run the gateway.")
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
    GatewayConfig config = ConfigLoader.load(configFile);
    long started = System.nanoTime();
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    Gateway gateway;
    try {
      gateway = Gateway.start(vertx, config, new SimpleMeterRegistry()).await(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      log.error("EdgeGate could not start", e);
      vertx.close().await(30, TimeUnit.SECONDS);
      return EdgeGateCommand.EXIT_RUNTIME;
    }
    printReady(System.out, gateway, (System.nanoTime() - started) / 1_000_000);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("Stopping EdgeGate");
                  try {
                    gateway
                        .close()
                        .await(config.forward.closeTimeout.toSeconds() + 30, TimeUnit.SECONDS);
                    vertx.close().await(30, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    log.error("EdgeGate did not stop cleanly", e);
                  }
                  log.info("EdgeGate stopped");
                  stopped.countDown();
                },
                "edgegate-shutdown"));
    stopped.await();
    return 0;
  }

  static void printReady(PrintStream out, Gateway gateway, long startMillis) {
    GatewayConfig c = gateway.config();
    String mqttHost = "0.0.0.0".equals(c.mqtt.host) ? "127.0.0.1" : c.mqtt.host;
    int port = gateway.mqttPort();
    String kafka = gateway.bootstrapServers();
    out.printf(
        "%nEdgeGate %s: gateway '%s' ready in %.1f s%n",
        Version.get(), c.gateway.id, startMillis / 1000.0);
    out.printf("  MQTT     mqtt://%s:%d%n", mqttHost, port);
    out.printf(
        "  Kafka    %s%s -> topic %s (dead letters: %s)%n",
        kafka,
        c.kafka.embedded.enabled ? " (embedded broker, demo only)" : "",
        c.kafka.topic,
        c.kafka.deadLetterTopic);
    out.printf(
        "  Journal  %s (sync: %s)%n",
        gateway.journal().dir().toAbsolutePath().normalize(),
        c.journal.sync.name().toLowerCase(java.util.Locale.ROOT));
    out.printf("%nTry it (device id = MQTT client id = Kafka key):%n");
    out.printf(
        "  mosquitto_pub -h %s -p %d -q 1 -i dev-1 -t devices/dev-1/telemetry -m '{\"temp\":21.5}'%n",
        mqttHost, port);
    out.printf(
        "  kcat -b %s -C -t %s -o beginning -e -f 'key=%%k partition=%%p offset=%%o\\nheaders=%%h\\nvalue=%%s\\n\\n'%n%n",
        kafka, c.kafka.topic);
    out.flush();
  }
}
