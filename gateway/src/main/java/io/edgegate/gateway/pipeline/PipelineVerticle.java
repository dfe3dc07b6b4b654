package io.edgegate.gateway.pipeline;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.forward.ForwardStats;
import io.edgegate.gateway.forward.Forwarder;
import io.edgegate.gateway.journal.Journal;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Owns the event loop on which the pipeline and the forwarder run: journal reader batches arrive
 * here, Kafka acknowledgements come back here, and the checkpoint advances here.
 */
public final class PipelineVerticle extends VerticleBase {
  private final GatewayConfig config;
  private final Journal journal;
  private final KafkaProducer<String, byte[]> nativeProducer;
  private final ForwardStats stats;
  private Forwarder forwarder;
  private Pipeline pipeline;

  /** {@code nativeProducer} is created off the event loop (its constructor does I/O set-up). */
  public PipelineVerticle(
      GatewayConfig config,
      Journal journal,
      KafkaProducer<String, byte[]> nativeProducer,
      ForwardStats stats) {
    this.config = config;
    this.journal = journal;
    this.nativeProducer = nativeProducer;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    pipeline = new Pipeline(new CloudEventRecords(config), config.forward);
    forwarder =
        new Forwarder(
            vertx,
            nativeProducer,
            config.kafka.deadLetterTopic,
            config.forward.retryBackoff,
            config.forward.retryBackoffMax,
            stats,
            journal.checkpoint()::advance,
            pipeline::requestMore);
    forwarder.maxInFlightBytes(config.forward.maxInFlightBytes);
    pipeline.start(forwarder, journal.startReader(context, pipeline::accept));
    return Future.succeededFuture();
  }

  /**
   * Flushes what is in flight (bounded by {@code forward.closeTimeout}) and closes the producer.
   */
  @Override
  public Future<?> stop() {
    return forwarder.close(config.forward.closeTimeout);
  }

  /** Events the pipeline holds in memory (read and requested, not yet settled). Any thread. */
  public long inMemory() {
    return pipeline == null ? 0 : pipeline.inMemory();
  }
}
