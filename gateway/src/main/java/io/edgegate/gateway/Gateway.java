package io.edgegate.gateway;

import io.edgegate.gateway.command.CommandService;
import io.edgegate.gateway.command.CommandTopics;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.KafkaConfig;
import io.edgegate.gateway.forward.EmbeddedKafka;
import io.edgegate.gateway.forward.ProducerSettings;
import io.edgegate.gateway.ingest.ConnectedDevice;
import io.edgegate.gateway.ingest.MqttListener;
import io.edgegate.gateway.journal.BacklogProbe;
import io.edgegate.gateway.journal.Journal;
import io.edgegate.gateway.observe.GatewayMetrics;
import io.edgegate.gateway.observe.Observability;
import io.edgegate.gateway.observe.console.DeviceDirectory;
import io.edgegate.gateway.pipeline.PipelineVerticle;
import io.edgegate.gateway.session.SessionStore;
import io.edgegate.gateway.session.Sessions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: embedded broker (demo only), journal, pipeline and MQTT listeners, started
 * in data-flow order and stopped in reverse. Start and stop return futures; their blocking steps
 * (broker, journal files, producer set-up) run on worker threads, never on an event loop.
 */
public final class Gateway {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private volatile GatewayConfig config; // replaced by reload() with what it applied
  private final GatewayMetrics metrics;
  private final Observability observability;
  private final Clock clock;
  private EmbeddedKafka embeddedKafka;
  private String bootstrapServers;
  private Journal journal;
  private PipelineVerticle pipeline;
  private java.util.Map<String, Object> producerSettings;
  private String pipelineDeployment;
  private MqttListener.Ingest ingest;
  private final List<String> listenerDeployments = new ArrayList<>();
  private int mqttPort;
  private Sessions sessions;
  private long expiryTimer = -1;
  private CommandService commands;
  private boolean closed;

  private Gateway(Vertx vertx, GatewayConfig config, MeterRegistry registry, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.observability = new Observability(vertx, config, registry, clock);
    this.metrics = new GatewayMetrics(observability.registry(), clock);
  }

  /**
   * Starts a gateway; the future fails (with everything started so far stopped) if any stage fails.
   */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, MeterRegistry registry) {
    return start(vertx, config, registry, Clock.systemUTC());
  }

  /**
   * Starts a gateway whose time (receive times, event ids, journal file periods) comes from {@code
   * clock}: tests move it.
   */
  public static Future<Gateway> start(
      Vertx vertx, GatewayConfig config, MeterRegistry registry, Clock clock) {
    Gateway g = new Gateway(vertx, config, registry, clock);
    return g.observability
        .startAdmin()
        .compose(v -> g.startStages())
        .map(g)
        .recover(e -> g.close().transform(ignored -> Future.<Gateway>failedFuture(e)));
  }

  private Future<Void> startStages() {
    Path dataDir = config.gateway.dataDir;
    return vertx
        .executeBlocking(
            () -> {
              if (config.kafka.embedded.enabled) {
                embeddedKafka = startEmbeddedKafka(config.kafka.embeddedDir(dataDir));
                bootstrapServers = embeddedKafka.bootstrapServers();
              } else {
                bootstrapServers = config.kafka.bootstrapServers;
              }
              // Vert.x shares one listening socket among instances that name the same port, so
              // port 0 is resolved to a concrete free port first.
              mqttPort = config.mqtt.port != 0 ? config.mqtt.port : freePort(config.mqtt.host);
              journal =
                  Journal.open(config.journal.dir(dataDir), config.journal, metrics, clock::millis);
              logBacklogAtStart();
              producerSettings = ProducerSettings.of(config, bootstrapServers);
              sessions =
                  new Sessions(
                      config.mqtt.sessions, SessionStore.open(dataDir.resolve("sessions")), clock);
              int restored = sessions.restore();
              if (restored > 0) {
                log.info("Restored {} persistent MQTT sessions", restored);
              }
              return new KafkaProducer<String, byte[]>(producerSettings);
            })
        .compose(
            producer -> {
              observability.producerCreated(producer);
              pipeline =
                  new PipelineVerticle(
                      config, journal, producer, producerSettings, metrics, metrics, clock);
              pipeline.onProducerReplaced(observability::producerReplaced);
              return vertx.deployVerticle(pipeline);
            })
        .compose(
            id -> {
              pipelineDeployment = id;
              Gauge.builder("edgegate.pipeline.buffered.events", pipeline, p -> p.bufferedEvents())
                  .description("Events read from the journal, held until Kafka acknowledges them")
                  .register(metrics.registry());
              Gauge.builder("edgegate.pipeline.buffered.bytes", pipeline, p -> p.bufferedBytes())
                  .description("Payload bytes of edgegate_pipeline_buffered_events")
                  .baseUnit("bytes")
                  .register(metrics.registry());
              Gauge.builder("edgegate.mqtt.sessions", sessions, Sessions::size)
                  .description("MQTT sessions held, connected or not")
                  .register(metrics.registry());
              Gauge.builder("edgegate.commands.queued", sessions, Sessions::queuedCommands)
                  .description("Commands held in sessions, queued or unacknowledged")
                  .register(metrics.registry());
              expiryTimer =
                  vertx.setPeriodic(
                      config.mqtt.sessions.expiryCheckInterval.toMillis(), t -> sessions.expire());
              CommandTopics commandTopics = new CommandTopics(config.commands);
              ingest =
                  new MqttListener.Ingest(journal.writer(), clock, metrics)
                      .lifecycleEvents(config.pipeline.lifecycle.enabled)
                      .sessions(sessions)
                      .extraPublish(
                          config.commands.enabled
                              ? commandTopics::isResponseTopic
                              : (clientId, topic) -> false);
              return vertx.deployVerticle(
                  () -> ingest.listener(config.mqtt, mqttPort),
                  new DeploymentOptions().setInstances(config.mqtt.effectiveInstances()));
            })
        .compose(
            id -> {
              listenerDeployments.add(id);
              if (!config.commands.enabled) {
                return Future.succeededFuture();
              }
              return vertx.executeBlocking(
                  () -> {
                    commands =
                        CommandService.start(
                            config, bootstrapServers, sessions, metrics.registry(), clock);
                    return null;
                  });
            })
        .map(
            v -> {
              observability.running(
                  new Observability.Stages(
                      journal,
                      mqttPort,
                      bootstrapServers,
                      this::connectedDevices,
                      new ConnectedDevices(ingest),
                      pipeline.schemaVersions()),
                  metrics);
              return null;
            })
        .mapEmpty();
  }

  /**
   * Measured here, before the forwarder reads anything: a backlog that drains within the first
   * gauge refresh would otherwise never be reported.
   */
  private void logBacklogAtStart() {
    try (BacklogProbe probe = BacklogProbe.open(journal.dir(), config.journal.roll)) {
      BacklogProbe.Backlog b = probe.measure(journal.checkpoint().index());
      if (b.events() > 0) {
        long age =
            b.oldestReceivedAtMillis() < 0
                ? 0
                : Math.max(0, clock.millis() - b.oldestReceivedAtMillis()) / 1000;
        log.info(
            "Backlog at start: {} events ({} bytes) not yet in Kafka, the oldest {} s old",
            b.events(),
            b.bytes(),
            age);
      }
    } catch (RuntimeException e) {
      log.warn("Could not measure the backlog at start: {}", e.toString());
    }
  }

  private static int freePort(String host) throws java.io.IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }

  private EmbeddedKafka startEmbeddedKafka(Path dir) throws Exception {
    EmbeddedKafka.Provider provider =
        ServiceLoader.load(EmbeddedKafka.Provider.class)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "kafka.embedded.enabled is true but the embedded broker is not on the class"
                            + " path (module edgegate-embedded-kafka; the demo launcher adds it)"));
    KafkaConfig.Embedded e = config.kafka.embedded;
    log.info("Starting the embedded Kafka broker (demo and tests only) in {}", dir);
    return provider.start(dir, e.host, e.port, e.partitions);
  }

  /**
   * Stops in reverse data-flow order: listeners (devices disconnect), journal writer (pending
   * appends finish), forwarder (in-flight sends get {@code forward.closeTimeout}), journal
   * (checkpoint forced to disk), embedded broker. Idempotent.
   */
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    observability.stopping();
    if (commands != null) {
      commands.stopDispatching(); // sessions keep what they hold; the rest is read again
    }
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
    }
    Future<Void> f = Future.succeededFuture();
    for (String id : listenerDeployments) {
      f = f.eventually(() -> vertx.undeploy(id));
    }
    return f.eventually(
            () ->
                vertx.executeBlocking(
                    () -> {
                      // Connections end on their loops: their persistent sessions are saved, and
                      // commands they held settle as queued, before the last offsets commit.
                      long deadline = System.nanoTime() + 5_000_000_000L;
                      while (connectedDevices() > 0 && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                      }
                      if (sessions != null) {
                        sessions.close();
                      }
                      if (commands != null) {
                        commands.close();
                      }
                      if (journal != null) {
                        journal.writer().close();
                      }
                      return null;
                    }))
        .eventually(
            () ->
                pipelineDeployment == null
                    ? Future.succeededFuture()
                    : vertx.undeploy(pipelineDeployment))
        .eventually(
            () ->
                vertx.executeBlocking(
                    () -> {
                      if (journal != null) {
                        journal.close();
                      }
                      if (embeddedKafka != null) {
                        embeddedKafka.close();
                      }
                      return null;
                    }))
        .eventually(observability::close)
        .onFailure(e -> log.error("Gateway did not stop cleanly", e))
        .mapEmpty();
  }

  /**
   * Applies what can change while running from {@code next} (a configuration that passed the checks
   * {@code config check} runs): {@code pipeline.*} (routes, schemas and upcasts, the registry),
   * swapped between two batches of events; connections stay open. Completes with the changed keys
   * that need a restart to take effect (they are not applied); fails, with the running
   * configuration kept whole, if the new pipeline cannot be built.
   */
  public Future<Reloaded> reload(GatewayConfig next) {
    java.util.SortedSet<String> changed =
        io.edgegate.gateway.config.ConfigPrinter.changedKeys(config, next);
    java.util.SortedSet<String> live = new java.util.TreeSet<>();
    java.util.SortedSet<String> needRestart = new java.util.TreeSet<>();
    for (String key : changed) {
      (key.startsWith("pipeline.") ? live : needRestart).add(key);
    }
    if (live.isEmpty()) {
      return Future.succeededFuture(new Reloaded(live, needRestart));
    }
    GatewayConfig applied = withPipelineOf(config, next);
    return pipeline
        .reconfigure(applied)
        .map(
            v -> {
              config = applied;
              return new Reloaded(live, needRestart);
            });
  }

  /** What a reload changed: keys now in force, and changed keys that wait for a restart. */
  public record Reloaded(
      java.util.SortedSet<String> applied, java.util.SortedSet<String> needRestart) {}

  /** {@code running} with the {@code pipeline} section of {@code next}; nothing else changes. */
  private static GatewayConfig withPipelineOf(GatewayConfig running, GatewayConfig next) {
    GatewayConfig c = new GatewayConfig();
    c.gateway = running.gateway;
    c.mqtt = running.mqtt;
    c.journal = running.journal;
    c.kafka = running.kafka;
    c.forward = running.forward;
    c.admin = running.admin;
    c.commands = running.commands;
    c.pipeline = next.pipeline;
    return c;
  }

  public int mqttPort() {
    return mqttPort;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Journal journal() {
    return journal;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** Registry, health and admin endpoints. */
  public Observability observability() {
    return observability;
  }

  /** The admin endpoints' port (resolved when {@code admin.port} is 0), 0 when they are off. */
  public int adminPort() {
    return observability.adminPort();
  }

  public GatewayConfig config() {
    return config;
  }

  /** The MQTT sessions (null before the start completed). */
  public Sessions sessions() {
    return sessions;
  }

  public int connectedDevices() {
    return ingest == null ? 0 : ingest.connectedDevices();
  }

  /** The console's view of the connected devices: read from their connections when it asks. */
  private record ConnectedDevices(MqttListener.Ingest ingest) implements DeviceDirectory {
    @Override
    public List<ConnectedDevice> devices() {
      return ingest.devices();
    }

    @Override
    public ConnectedDevice device(String clientId) {
      return ingest.device(clientId);
    }

    @Override
    public int paused() {
      return ingest.pausedDevices();
    }
  }

  /** Events held in the pipeline's memory (bounded by {@code forward.maxBufferedEvents}). */
  public long pipelineInMemory() {
    return pipeline == null ? 0 : pipeline.bufferedEvents();
  }
}
