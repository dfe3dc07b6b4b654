package io.edgegate.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.journal.JournalEvent;
import java.io.IOException;

/**
 * The payload as JSON, parsed only when something needs it. Rule: a route of {@code format: json}
 * takes JSON documents only; a document that is not an object passes unless the route reads fields
 * from it ({@code schema}, {@code enrichment: fat}, {@code deviceTime}), which then needs an
 * object. Binary routes never parse. Stateless (the mapper is thread-safe): any thread.
 */
final class BodyParsing {
  private final ObjectMapper json;

  BodyParsing(ObjectMapper json) {
    this.json = json;
  }

  /** Whether events on {@code rule} are parsed at all. */
  static boolean parses(PipelineConfig.Route rule) {
    return rule.format == PipelineConfig.Format.JSON;
  }

  /** Whether {@code rule} reads fields of the body, so that it must be a JSON object. */
  static boolean needsObject(PipelineConfig.Route rule) {
    return rule.schema != null
        || rule.enrichment == PipelineConfig.Enrichment.FAT
        || rule.deviceTime != null;
  }

  /** The payload's document; null for an empty payload. Throws when it is not JSON. */
  JsonNode parse(JournalEvent e) throws IOException {
    JsonNode parsed = json.readTree(e.payload());
    return parsed == null || parsed.isMissingNode() ? null : parsed;
  }
}
