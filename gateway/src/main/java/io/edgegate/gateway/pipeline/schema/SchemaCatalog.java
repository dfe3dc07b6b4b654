package io.edgegate.gateway.pipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import io.edgegate.gateway.config.PipelineConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON Schemas of {@code pipeline.schemas}, loaded once at start (blocking). {@link #prepare}
 * validates an event against the version it says it is, upcasts it step by step to the current
 * version, and validates the result, so each topic carries one version and {@code ce_dataschema}
 * says which. Immutable after loading; thread-safe.
 */
public final class SchemaCatalog {
  private final Map<String, Versions> byName;

  private record Version(int number, JsonSchema schema, String id, Upcaster upcast) {}

  private record Versions(String name, int current, TreeMap<Integer, Version> all) {}

  /**
   * An event ready for the current version, or why it is not; {@code version} is the version it
   * claimed (the current one when it claimed none), 0 when that is unknown.
   */
  public record Prepared(
      ObjectNode event, String dataschema, String problem, String path, int version) {
    public boolean valid() {
      return problem == null;
    }
  }

  private SchemaCatalog(Map<String, Versions> byName) {
    this.byName = byName;
  }

  public static SchemaCatalog empty() {
    return new SchemaCatalog(Map.of());
  }

  /** Loads and compiles every schema file. Blocking; fails with the file that is wrong. */
  public static SchemaCatalog load(Map<String, PipelineConfig.SchemaSet> config, ObjectMapper json)
      throws IOException {
    Map<String, Versions> out = new HashMap<>();
    for (var e : config.entrySet()) {
      TreeMap<Integer, Version> versions = new TreeMap<>();
      for (var v : e.getValue().versions.entrySet()) {
        Path file = v.getValue().file;
        JsonNode node;
        try {
          node = json.readTree(file.toFile());
        } catch (IOException ex) {
          throw new IOException(
              "pipeline.schemas."
                  + e.getKey()
                  + ".versions."
                  + v.getKey()
                  + ".file: "
                  + file
                  + ": "
                  + ex.getMessage(),
              ex);
        }
        JsonSchema schema = compile(node);
        String id =
            node.hasNonNull("$id")
                ? node.get("$id").asText()
                : "urn:edgegate:schema:" + e.getKey() + ":" + v.getKey();
        Upcaster up = v.getValue().upcast == null ? null : new Upcaster(v.getValue().upcast, json);
        versions.put(v.getKey(), new Version(v.getKey(), schema, id, up));
      }
      out.put(e.getKey(), new Versions(e.getKey(), e.getValue().current, versions));
    }
    return new SchemaCatalog(out);
  }

  /** The schema names, in no particular order. */
  public java.util.Set<String> names() {
    return byName.keySet();
  }

  /** The current version of schema {@code name}; 0 if there is no such schema. */
  public int current(String name) {
    Versions set = byName.get(name);
    return set == null ? 0 : set.current;
  }

  /**
   * The configured versions of schema {@code name}, ascending; empty if there is no such schema.
   */
  public java.util.NavigableSet<Integer> versions(String name) {
    Versions set = byName.get(name);
    return set == null
        ? java.util.Collections.emptyNavigableSet()
        : java.util.Collections.unmodifiableNavigableSet(set.all.navigableKeySet());
  }

  static JsonSchema compile(JsonNode node) {
    SpecVersion.VersionFlag flag =
        SpecVersionDetector.detectOptionalVersion(node, false)
            .orElse(SpecVersion.VersionFlag.V202012);
    return JsonSchemaFactory.getInstance(flag).getSchema(node);
  }

  /**
   * Validates {@code event} as {@code version} of {@code name} (null: the current version), upcasts
   * it to the current version and validates that. Mutates {@code event}.
   */
  public Prepared prepare(String name, String version, ObjectNode event) {
    Versions set = byName.get(name);
    if (set == null) {
      return new Prepared(event, null, "unknown schema '" + name + "'", "", 0);
    }
    int from;
    try {
      from =
          version == null
              ? set.current
              : Integer.parseInt(version.trim().replaceFirst("^[vV]", ""));
    } catch (NumberFormatException e) {
      return new Prepared(event, null, "schema version '" + version + "' is not a number", "", 0);
    }
    Version v = set.all.get(from);
    if (v == null || from > set.current) {
      return new Prepared(
          event, null, "unknown version " + version + " of schema '" + name + "'", "", 0);
    }
    Set<ValidationMessage> errors = v.schema.validate(event);
    if (!errors.isEmpty()) {
      return new Prepared(event, null, firstProblem(errors), pathOf(errors), from);
    }
    for (Version step : set.all.subMap(from, true, set.current, false).values()) {
      if (step.upcast != null) {
        step.upcast.apply(event);
      }
    }
    Version current = set.all.get(set.current);
    if (from != set.current) {
      Set<ValidationMessage> after = current.schema.validate(event);
      if (!after.isEmpty()) {
        return new Prepared(
            event,
            null,
            "after upcast from v" + from + ": " + firstProblem(after),
            pathOf(after),
            from);
      }
    }
    return new Prepared(event, current.id, null, null, from);
  }

  private static String firstProblem(Set<ValidationMessage> errors) {
    return errors.isEmpty() ? null : errors.iterator().next().getMessage();
  }

  private static String pathOf(Set<ValidationMessage> errors) {
    return errors.isEmpty() ? "" : errors.iterator().next().getInstanceLocation().toString();
  }
}
