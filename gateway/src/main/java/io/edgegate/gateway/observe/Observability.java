package io.edgegate.gateway.observe;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.journal.Journal;
import io.edgegate.gateway.journal.JournalWriter;
import io.edgegate.gateway.observe.console.ConsoleSources;
import io.edgegate.gateway.observe.console.DeviceDirectory;
import io.edgegate.gateway.pipeline.schema.SchemaVersionsView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.producer.Producer;

/**
 * What an operator sees of one gateway: the Prometheus registry with the JVM, process and Kafka
 * producer meters beside the gateway's own, the backlog and disk gauges, the health checks, the
 * read-only web console, and the admin HTTP endpoints that serve them. The gateway calls it as it
 * starts and stops; it reads the running stages only through {@link Stages}, so it depends on what
 * it measures, not on the gateway that assembles them.
 *
 * <p>Threads: measurements that read files (backlog, disk) and the Kafka meter refresh run on one
 * daemon thread, {@code edgegate-observe}; scrapes run on a Vert.x worker; health on the admin
 * server's event loop, from memory.
 */
public final class Observability {
  public static final String BUILD_INFO = "edgegate.build.info";

  private final Vertx vertx;
  private final GatewayConfig config;
  private final Clock clock;
  private final PrometheusMeterRegistry prometheus;
  private final boolean ownsPrometheus;
  private final MeterRegistry registry;
  private final Health health;
  private final ScheduledExecutorService scheduler;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private BacklogGauge backlog;
  private KafkaClientMetrics kafkaMetrics;
  private volatile Producer<?, ?> producer;
  private AdminServer admin;
  private volatile ConsoleSources console; // null until the stages run
  private String adminDeployment;

  /**
   * Meters go to {@code given}; when it is not (or does not contain) a Prometheus registry, one is
   * added beside it for the {@code /metrics} endpoint.
   */
  public Observability(Vertx vertx, GatewayConfig config, MeterRegistry given, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    PrometheusMeterRegistry found = prometheusIn(given);
    if (found != null) {
      prometheus = found;
      ownsPrometheus = false;
      registry = given;
    } else {
      prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      ownsPrometheus = true;
      registry =
          new CompositeMeterRegistry(
              io.micrometer.core.instrument.Clock.SYSTEM, List.of(prometheus, given));
    }
    health = new Health(clock.millis());
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "edgegate-observe");
              t.setDaemon(true);
              return t;
            });
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    String version = Observability.class.getPackage().getImplementationVersion();
    Gauge.builder(BUILD_INFO, () -> 1)
        .description("Always 1; the labels say which EdgeGate runs here")
        .tag("version", version == null ? "dev" : version)
        .tag("gateway", config.gateway.id)
        .register(registry);
  }

  private static PrometheusMeterRegistry prometheusIn(MeterRegistry r) {
    if (r instanceof PrometheusMeterRegistry p) {
      return p;
    }
    if (r instanceof CompositeMeterRegistry c) {
      for (MeterRegistry child : c.getRegistries()) {
        if (child instanceof PrometheusMeterRegistry p) {
          return p;
        }
      }
    }
    return null;
  }

  /** Where the gateway's meters go. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The registry {@code /metrics} serves. */
  public PrometheusMeterRegistry prometheus() {
    return prometheus;
  }

  public Health health() {
    return health;
  }

  /** The admin endpoints' port, or 0 when they are off (or not started yet). */
  public int adminPort() {
    return admin == null ? 0 : admin.port();
  }

  /**
   * Starts the admin endpoints first, so that an orchestrator sees a live process (and a 503 from
   * readiness) while the journal and Kafka start.
   */
  public Future<Void> startAdmin() {
    if (!config.admin.enabled) {
      return Future.succeededFuture();
    }
    admin = new AdminServer(config.admin, prometheus, health, clock, () -> console);
    return vertx
        .deployVerticle(admin)
        .map(
            id -> {
              adminDeployment = id;
              return null;
            });
  }

  /** Binds the Kafka producer's own metrics (sends, batches, errors, request latency). */
  public synchronized void producerCreated(Producer<?, ?> producer) {
    this.producer = producer;
    kafkaMetrics = new KafkaClientMetrics(producer, List.of(), scheduler);
    kafkaMetrics.bindTo(registry);
  }

  /**
   * Forwarding replaced its producer (after fencing): the meters follow the new one. The old binder
   * goes first — it removes its meters, which a replacement with the same client id would otherwise
   * find registered and leave reading the closed producer. Any thread.
   */
  public synchronized void producerReplaced(Producer<?, ?> replaced, Producer<?, ?> replacement) {
    if (kafkaMetrics != null) {
      kafkaMetrics.close();
    }
    producerCreated(replacement);
  }

  /**
   * What health and the gauges read of the started stages.
   *
   * @param mqttPort the MQTT listeners' port, resolved when {@code mqtt.port} is 0
   * @param bootstrapServers the Kafka brokers in use (the embedded broker's when it runs)
   * @param connectedDevices devices connected now (thread-safe: the admin server asks it)
   * @param devices the connected devices, read from their connections when the console asks
   * @param schemas the schema versions the pipeline saw ({@link SchemaVersionsView#NONE}: none)
   */
  public record Stages(
      Journal journal,
      int mqttPort,
      String bootstrapServers,
      IntSupplier connectedDevices,
      DeviceDirectory devices,
      SchemaVersionsView schemas) {
    /** Stages without a device directory or schema versions (the console shows none). */
    public Stages(
        Journal journal, int mqttPort, String bootstrapServers, IntSupplier connectedDevices) {
      this(
          journal,
          mqttPort,
          bootstrapServers,
          connectedDevices,
          DeviceDirectory.NONE,
          SchemaVersionsView.NONE);
    }
  }

  /** Everything runs: health checks and backlog measurement; ready from now. */
  public void running(Stages stages, GatewayMetrics metrics) {
    Journal journal = stages.journal();
    backlog = new BacklogGauge(journal, config.journal, clock, registry, scheduler);
    backlog.start(config.admin.refreshInterval);
    health.register("mqtt", () -> mqtt(stages));
    health.register("journal", () -> journal(journal.writer()));
    health.register("kafka", () -> kafka(stages, metrics));
    console = new ConsoleReadings(config, stages, metrics, backlog, health, prometheus);
    health.phase(Health.Phase.RUNNING);
  }

  /** The gateway is stopping: readiness answers 503 from now on. */
  public void stopping() {
    health.phase(Health.Phase.STOPPING);
  }

  private Health.Component mqtt(Stages stages) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("port", stages.mqttPort());
    d.put("connections", stages.connectedDevices().getAsInt());
    return Health.Component.up(d);
  }

  private Health.Component journal(JournalWriter writer) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("pendingBytes", writer.pendingBytes());
    d.put("diskUsageBytes", number(backlog.diskUsage()));
    d.put("diskFreeBytes", number(backlog.diskFree()));
    if (config.journal.maxBytes > 0) {
      d.put("diskLimitBytes", config.journal.maxBytes);
    }
    d.put("minFreeDiskBytes", config.journal.minFreeDisk);
    Throwable failure = writer.lastFailure();
    if (failure != null) {
      return new Health.Component(
          Health.Status.DOWN, "appends fail, devices are not acknowledged: " + failure, d);
    }
    String refusing = writer.refusing();
    if (refusing != null) {
      return new Health.Component(
          Health.Status.DOWN, "at its disk limit, new events are refused: " + refusing, d);
    }
    if (writer.overHighWatermark()) {
      return new Health.Component(
          Health.Status.DEGRADED,
          "appends are behind (journal.maxPendingBytes): device sockets paused",
          d);
    }
    return Health.Component.up(d);
  }

  private Health.Component kafka(Stages stages, GatewayMetrics metrics) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("bootstrapServers", stages.bootstrapServers());
    d.put("backlogEvents", number(backlog.events()));
    d.put("oldestUnforwardedAgeSeconds", number(backlog.oldestAgeSeconds()));
    if (!metrics.kafkaAvailable()) {
      return new Health.Component(
          Health.Status.DEGRADED, "sends to Kafka fail; the journal holds the backlog", d);
    }
    if (!metrics.kafkaAnswered() && !brokerReached()) {
      // Nothing sent yet (an idle start): "up" would be a guess while no broker was reached.
      return new Health.Component(
          Health.Status.DEGRADED, "no Kafka broker reached since the start", d);
    }
    return Health.Component.up(d);
  }

  /** True once the producer completed a connection to a broker (its connection-creation-total). */
  private boolean brokerReached() {
    Producer<?, ?> p = producer;
    if (p == null) {
      return false;
    }
    for (var e : p.metrics().entrySet()) {
      if (e.getKey().name().equals("connection-creation-total")
          && e.getKey().group().equals("producer-metrics")
          && e.getValue().metricValue() instanceof Double created
          && created > 0) {
        return true;
      }
    }
    return false;
  }

  /** JSON has no NaN: an unknown number is null. */
  private static Object number(double v) {
    if (Double.isNaN(v)) {
      return null;
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
  }

  /**
   * Stops the admin endpoints and the measurements. Last in the gateway's stop, so that health
   * shows "stopping" while the journal and Kafka drain.
   */
  public Future<Void> close() {
    Future<?> undeploy =
        adminDeployment == null ? Future.succeededFuture() : vertx.undeploy(adminDeployment);
    return undeploy
        .eventually(
            () ->
                vertx.executeBlocking(
                    () -> {
                      if (backlog != null) {
                        backlog.close();
                      }
                      synchronized (this) {
                        if (kafkaMetrics != null) {
                          kafkaMetrics.close();
                        }
                      }
                      gcMetrics.close();
                      scheduler.shutdownNow();
                      scheduler.awaitTermination(10, TimeUnit.SECONDS);
                      if (ownsPrometheus) {
                        prometheus.close();
                      }
                      return null;
                    }))
        .mapEmpty();
  }
}
