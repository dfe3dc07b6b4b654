package io.edgegate.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.pipeline.schema.JsonPaths;
import java.util.Map;

/**
 * The schema version an event says it is: what upcasting starts from. Rule: the route's {@code
 * version} names where to read it — a topic variable ({@code segment}), a user property, or a body
 * field (null and absent are no claim); no {@code version}, or no claim, means the current version,
 * so nothing is upcast. Stateless: any thread.
 */
final class ClaimedVersion {
  private ClaimedVersion() {}

  /** The version claimed, or null for the current one. */
  static String of(
      PipelineConfig.VersionSource source,
      JournalEvent e,
      ObjectNode body,
      Map<String, String> vars) {
    if (source == null) {
      return null;
    }
    if (source.segment != null) {
      return vars.get(source.segment);
    }
    if (source.userProperty != null) {
      for (JournalEvent.UserProperty p : e.userProperties()) {
        if (p.name().equals(source.userProperty)) {
          return p.value();
        }
      }
      return null;
    }
    JsonNode v = JsonPaths.at(body, source.field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
