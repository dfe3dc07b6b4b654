package io.edgegate.gateway.pipeline;

import io.edgegate.gateway.config.ForwardConfig;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.forward.Backoff;
import io.edgegate.gateway.forward.ForwardStats;
import io.edgegate.gateway.forward.Forwarder;
import io.edgegate.gateway.forward.Forwarding;
import io.edgegate.gateway.forward.ProducerListener;
import io.edgegate.gateway.forward.ReplacementProducers;
import io.edgegate.gateway.forward.TransactionalForwarder;
import io.edgegate.gateway.forward.VertxForwardLoop;
import io.edgegate.gateway.journal.Checkpoint;
import io.edgegate.gateway.journal.Journal;
import io.edgegate.gateway.pipeline.enrich.DeviceRegistry;
import io.edgegate.gateway.pipeline.schema.SchemaVersions;
import io.edgegate.gateway.pipeline.schema.SchemaVersionsView;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Owns the event loop on which the pipeline and the forwarder run: journal reader batches arrive
 * here, Kafka acknowledgements come back here (in batches), and the checkpoint advances here. The
 * at-least-once forwarder's sends run on its own sender thread, never on this loop.
 */
public final class PipelineVerticle extends VerticleBase {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(PipelineVerticle.class);
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private String lastRegistryProblem; // event loop only
  private final GatewayConfig config;
  private final Journal journal;
  private final KafkaProducer<String, byte[]> nativeProducer;
  private final Supplier<Producer<String, byte[]>> producers;
  private final Map<String, Object> producerSettings;
  private final ForwardStats stats;
  private final PipelineStats pipelineStats;
  private final java.time.Clock clock;
  private volatile ProducerListener producerListener = ProducerListener.NONE;
  private Forwarding forwarder;
  private Pipeline pipeline;
  private long registryTimer = -1; // this verticle's context
  private long publishTimer = -1; // this verticle's context
  // Outlives the processors: a reload hands it to the next one, so the counts survive.
  private final SchemaVersions schemaVersions;

  /**
   * @param nativeProducer created off the event loop (its constructor does I/O set-up)
   * @param producerSettings what it was created with; exactly-once mode makes more from them
   * @param clock the ingest's clock: an event's expiry is measured on it
   */
  public PipelineVerticle(
      GatewayConfig config,
      Journal journal,
      KafkaProducer<String, byte[]> nativeProducer,
      Map<String, Object> producerSettings,
      ForwardStats stats,
      PipelineStats pipelineStats,
      java.time.Clock clock) {
    this.config = config;
    this.journal = journal;
    this.nativeProducer = nativeProducer;
    this.producerSettings = producerSettings;
    this.producers =
        new ReplacementProducers<>(
            nativeProducer,
            () -> new KafkaProducer<>(producerSettings),
            (replaced, replacement) -> producerListener.onProducerReplaced(replaced, replacement));
    this.stats = stats;
    this.pipelineStats = pipelineStats;
    this.clock = clock;
    this.schemaVersions = new SchemaVersions(config.pipeline.duplicates.maxDevices, pipelineStats);
  }

  /**
   * The schema versions the pipeline has seen, per event type and per device: safe to read from any
   * thread at any time (empty until events arrive; refreshed every {@link
   * SchemaVersions#PUBLISH_EVERY_MILLIS}). Kept across configuration reloads.
   */
  public SchemaVersionsView schemaVersions() {
    return schemaVersions;
  }

  /** Told of each producer that replaces the one in use (set before deploying). */
  public void onProducerReplaced(ProducerListener listener) {
    producerListener = listener;
  }

  @Override
  public Future<?> start() {
    // Schemas and the registry are files: read them on a worker, then wire the pipeline here.
    return vertx
        .executeBlocking(() -> EventProcessor.load(config, pipelineStats, schemaVersions))
        .compose(
            processor -> {
              watchRegistry(processor.registry());
              publishTimer =
                  vertx.setPeriodic(
                      SchemaVersions.PUBLISH_EVERY_MILLIS, id -> schemaVersions.publish());
              return startStages(processor);
            });
  }

  /**
   * Applies the {@code pipeline.*} of {@code next} (routes, schemas and upcasts, registry): its
   * files are read on a worker, then the processor is swapped on this verticle's context, between
   * two batches. Fails, with the running processor kept, if the files cannot be used.
   */
  public Future<Void> reconfigure(GatewayConfig next) {
    return vertx
        .executeBlocking(() -> EventProcessor.load(next, pipelineStats, schemaVersions))
        .compose(
            processor -> {
              io.vertx.core.Promise<Void> swapped = io.vertx.core.Promise.promise();
              context.runOnContext(
                  v -> {
                    processor.adoptVersions();
                    pipeline.replaceProcessor(processor);
                    if (registryTimer >= 0) {
                      vertx.cancelTimer(registryTimer);
                      registryTimer = -1;
                    }
                    watchRegistry(processor.registry(), next);
                    swapped.complete();
                  });
              return swapped.future();
            });
  }

  private void watchRegistry(DeviceRegistry registry) {
    watchRegistry(registry, config);
  }

  private void watchRegistry(DeviceRegistry registry, GatewayConfig config) {
    if (!registry.configured()) {
      return;
    }
    long every = config.pipeline.registry.reloadInterval.toMillis();
    registryTimer =
        vertx.setPeriodic(
            every,
            id ->
                vertx
                    .executeBlocking(registry::reloadIfChanged)
                    .onFailure(
                        e -> {
                          // Keep the last good registry; say so once per distinct problem.
                          String problem = e.toString();
                          if (!problem.equals(lastRegistryProblem)) {
                            lastRegistryProblem = problem;
                            log.error(
                                "Device registry {} not reloaded: {}",
                                config.pipeline.registry.file,
                                problem);
                          }
                        })
                    .onSuccess(changed -> lastRegistryProblem = null));
  }

  private Future<?> startStages(EventProcessor processor) {
    processor.adoptVersions();
    pipeline = new Pipeline(processor, config.forward);
    if (config.forward.delivery == ForwardConfig.Delivery.EXACTLY_ONCE) {
      TransactionalForwarder tx =
          TransactionalForwarder.create(
              vertx,
              nativeProducer,
              producers,
              producerSettings,
              config,
              stats,
              clock,
              journal.checkpoint()::advance,
              pipeline::requestMore);
      forwarder = tx;
      tx.watchForStalls(config.forward.unavailableAfter);
      // Kafka's committed position decides where to resume, not the local checkpoint (a crash
      // between a commit and the checkpoint's update would otherwise send events twice). Devices
      // are served meanwhile: the start does not wait for Kafka.
      tx.start()
          .onSuccess(
              committed -> {
                Checkpoint checkpoint = journal.checkpoint();
                if (committed != Checkpoint.NONE
                    && (checkpoint.index() == Checkpoint.NONE || committed > checkpoint.index())) {
                  checkpoint.advance(committed);
                }
                pipeline.start(tx, journal.startReader(context, pipeline::accept));
              });
      return Future.succeededFuture();
    }
    Forwarder f =
        new Forwarder(
            new VertxForwardLoop(context),
            nativeProducer,
            Forwarder.senderThread(),
            producers,
            config.kafka.deadLetterTopic,
            Backoff.jittered(
                config.forward.retryBackoff,
                config.forward.retryBackoffMax,
                new SplittableRandom()),
            stats,
            clock,
            journal.checkpoint()::advance,
            pipeline::requestMore);
    f.maxInFlightBytes(config.forward.maxInFlightBytes);
    f.watchForStalls(config.forward.unavailableAfter);
    forwarder = f;
    pipeline.start(f, journal.startReader(context, pipeline::accept));
    return Future.succeededFuture();
  }

  /**
   * Flushes what is in flight (bounded by {@code forward.closeTimeout}) and closes the producer.
   */
  @Override
  public Future<?> stop() {
    if (publishTimer >= 0) {
      vertx.cancelTimer(publishTimer);
    }
    return forwarder.close(config.forward.closeTimeout);
  }

  /** Events read from the journal and not yet settled by Kafka. Any thread. */
  public long bufferedEvents() {
    return pipeline == null ? 0 : pipeline.bufferedEvents();
  }

  /** Payload bytes of {@link #bufferedEvents()}. Any thread. */
  public long bufferedBytes() {
    return pipeline == null ? 0 : pipeline.bufferedBytes();
  }
}
