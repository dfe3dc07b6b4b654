package io.edgegate.gateway.trace;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.pipeline.EventProcessor;
import io.edgegate.gateway.pipeline.PipelineStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Which Kafka topics an event goes to, decided as the pipeline decides it: the gateway's own {@link
 * EventProcessor} (routes, registry, schemas) built from the configuration as it is now — a route
 * changed since the event was forwarded is not known. <b>Not thread-safe</b> (the processor is
 * confined to its first caller).
 */
public final class Routing {
  private final EventProcessor processor;
  private final GatewayConfig config;

  private Routing(EventProcessor processor, GatewayConfig config) {
    this.processor = processor;
    this.config = config;
  }

  /** The pipeline's routing for {@code config}. Blocking: reads the registry and schemas. */
  public static Routing of(GatewayConfig config) throws IOException {
    return new Routing(EventProcessor.load(config, PipelineStats.NONE), config);
  }

  /**
   * The topic the pipeline sends {@code e} to (the dead-letter topic for an event it refuses), or
   * null when it drops it as a repeat ({@code pipeline.duplicates}) — which this processor judges
   * from the events it was shown only.
   */
  String topicOf(JournalEvent e) {
    try {
      ProducerRecord<String, byte[]> r = processor.process(e);
      return r == null ? null : r.topic();
    } catch (RuntimeException ex) {
      return null; // the pipeline dead-letters what it cannot process; the dead-letter topic is
      // searched anyway
    }
  }

  String deadLetterTopic() {
    return config.kafka.deadLetterTopic;
  }

  /**
   * Every topic the configuration names without a template: where an event the journal no longer
   * holds (so whose route is unknown) can be looked for.
   */
  List<String> knownTopics() {
    Set<String> topics = new LinkedHashSet<>();
    topics.add(config.kafka.topic);
    topics.add(config.kafka.deadLetterTopic);
    if (config.pipeline.unmatched.topic != null) {
      topics.add(config.pipeline.unmatched.topic);
    }
    for (PipelineConfig.Route r : config.pipeline.routes) {
      if (r.topic != null && !r.topic.contains("{")) {
        topics.add(r.topic);
      }
    }
    if (config.pipeline.lifecycle.enabled) {
      topics.add(config.pipeline.lifecycle.topic);
    }
    if (config.commands.enabled) {
      topics.add(config.commands.responsesTopic);
    }
    return new ArrayList<>(topics);
  }
}
