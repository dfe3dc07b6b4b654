package io.edgegate.gateway.pipeline;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.pipeline.route.RouteTable;
import io.edgegate.gateway.pipeline.route.Template;
import java.util.HashMap;
import java.util.Map;

/**
 * Which route an event takes. Rule: the first route whose filter matches its topic wins, in the
 * order configured; device responses to commands (MQTT 5 request/response, {@code
 * commands.responseTopic}) come first when commands are enabled, so that a broad configured route
 * does not swallow them. A topic no route matches takes the fallback route to {@code
 * pipeline.unmatched.topic}, unless {@code pipeline.unmatched.policy} is {@code dead-letter}. Unset
 * templates default to {@code kafka.topic}, {@code {clientId}} and {@code pipeline.eventType}.
 *
 * <p>Immutable once built (a reload builds a new one): any thread.
 */
final class Routing {
  private final GatewayConfig config;
  private final RouteTable<CompiledRoute> routes = new RouteTable<>();
  private final CompiledRoute unmatched; // null: a topic no route matches is a dead letter

  Routing(GatewayConfig config) {
    this.config = config;
    if (config.commands.enabled) {
      PipelineConfig.Route responses = new PipelineConfig.Route();
      responses.match = config.commands.responseTopic;
      responses.topic = config.commands.responsesTopic;
      routes.add(responses.match, compile(responses));
    }
    for (PipelineConfig.Route r : config.pipeline.routes) {
      routes.add(r.match, compile(r));
    }
    PipelineConfig.Route fallback = new PipelineConfig.Route();
    fallback.match = "#";
    fallback.topic = config.pipeline.unmatched.topic;
    unmatched =
        config.pipeline.unmatched.policy == PipelineConfig.Unmatched.Policy.DEAD_LETTER
            ? null
            : compile(fallback);
  }

  private CompiledRoute compile(PipelineConfig.Route r) {
    return new CompiledRoute(
        r,
        Template.of(r.topic != null ? r.topic : config.kafka.topic),
        Template.of(r.key != null ? r.key : "{clientId}"),
        Template.of(r.type != null ? r.type : config.pipeline.eventType),
        r.schema == null ? null : Template.of(r.schema));
  }

  /** The first route matching {@code topic} and what its filter captured; null if none. */
  RouteTable.Match<CompiledRoute> match(String topic) {
    return routes.match(topic);
  }

  /** The route of a topic no configured route matches; null when such a topic is dead-lettered. */
  CompiledRoute unmatched() {
    return unmatched;
  }

  /**
   * The variables templates render from: those the filter captured ({@code match} null: none) and
   * {@code {clientId}}. The map is the event's own, to add to.
   */
  static Map<String, String> variables(RouteTable.Match<CompiledRoute> match, JournalEvent e) {
    Map<String, String> vars = match != null ? match.captured() : new HashMap<>(2);
    vars.put("clientId", e.clientId());
    return vars;
  }
}
