package io.edgegate.gateway.pipeline;

import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.pipeline.route.Template;

/**
 * A route as configured, with its templates compiled once: the Kafka topic, key, {@code ce_type}
 * and schema name an event on it gets (rendered from the variables its filter captured). Immutable.
 */
record CompiledRoute(
    PipelineConfig.Route rule, Template topic, Template key, Template type, Template schema) {}
