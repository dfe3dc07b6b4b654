package io.edgegate.gateway.pipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;

/** Dotted paths into JSON objects ({@code meta.version}), as config keys name payload fields. */
public final class JsonPaths {
  private JsonPaths() {}

  /** The node at {@code dottedPath}, or null when a step is missing or not an object. */
  public static JsonNode at(JsonNode node, String dottedPath) {
    JsonNode n = node;
    for (String part : dottedPath.split("\\.")) {
      if (n == null || !n.isObject()) {
        return null;
      }
      n = n.get(part);
    }
    return n;
  }
}
