package io.edgegate.gateway.pipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.gateway.config.PipelineConfig;
import java.util.Map;

/**
 * Turns an event of one schema version into the next: renames, then defaults (only where the field
 * is missing), then drops. Paths are dotted ({@code meta.unit}). Pure; thread-safe.
 */
final class Upcaster {
  private final PipelineConfig.Upcast upcast;
  private final com.fasterxml.jackson.databind.ObjectMapper json;

  Upcaster(PipelineConfig.Upcast upcast, com.fasterxml.jackson.databind.ObjectMapper json) {
    this.upcast = upcast;
    this.json = json;
  }

  void apply(ObjectNode event) {
    for (Map.Entry<String, String> r : upcast.rename.entrySet()) {
      JsonNode value = remove(event, r.getKey());
      if (value != null) {
        put(event, r.getValue(), value);
      }
    }
    for (Map.Entry<String, Object> d : upcast.defaults.entrySet()) {
      if (JsonPaths.at(event, d.getKey()) == null) {
        put(event, d.getKey(), json.valueToTree(d.getValue()));
      }
    }
    for (String path : upcast.drop) {
      remove(event, path);
    }
  }

  private static JsonNode remove(ObjectNode root, String path) {
    int dot = path.lastIndexOf('.');
    JsonNode parent = dot < 0 ? root : JsonPaths.at(root, path.substring(0, dot));
    return parent instanceof ObjectNode o ? o.remove(path.substring(dot + 1)) : null;
  }

  private static void put(ObjectNode root, String path, JsonNode value) {
    ObjectNode n = root;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = n.get(parts[i]);
      if (!(child instanceof ObjectNode)) {
        child = n.putObject(parts[i]);
      }
      n = (ObjectNode) child;
    }
    n.set(parts[parts.length - 1], value);
  }
}
