package io.edgegate.gateway.pipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Whether a new version of a JSON Schema is backward compatible with the old one: a consumer that
 * expects NEW can read every event valid under OLD (so upcasting or a firmware lag cannot break
 * it). It reasons over the structural keywords devices' payloads use — {@code type}, {@code
 * properties}, {@code required}, {@code additionalProperties}, {@code enum}, {@code items}, numeric
 * and length bounds — and reports each problem with its JSON path; keywords it does not reason
 * about are reported as unchecked rather than passed silently. Pure; thread-safe.
 */
public final class SchemaCompatibility {
  /** What was found: {@code problems} break compatibility, {@code notes} are worth a look. */
  public record Report(List<String> problems, List<String> notes) {
    public boolean compatible() {
      return problems.isEmpty();
    }
  }

  private static final Set<String> CHECKED =
      Set.of(
          "$schema",
          "$id",
          "title",
          "description",
          "type",
          "properties",
          "required",
          "additionalProperties",
          "enum",
          "items",
          "minimum",
          "maximum",
          "exclusiveMinimum",
          "exclusiveMaximum",
          "minLength",
          "maxLength",
          "minItems",
          "maxItems",
          "default",
          "examples",
          "format",
          "$comment");

  private SchemaCompatibility() {}

  public static Report check(JsonNode oldSchema, JsonNode newSchema) {
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    compare("$", oldSchema, newSchema, problems, notes);
    return new Report(problems, notes);
  }

  private static void compare(
      String path, JsonNode o, JsonNode n, List<String> problems, List<String> notes) {
    if (n == null || n.isMissingNode() || (n.isBoolean() && n.asBoolean())) {
      return; // NEW accepts anything here
    }
    if (n.isBoolean()) {
      problems.add(path + ": NEW forbids this value entirely");
      return;
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!CHECKED.contains(k)) {
        notes.add(path + ": keyword '" + k + "' is not checked");
      }
    }
    Set<String> oldTypes = types(o);
    Set<String> newTypes = types(n);
    if (!newTypes.isEmpty()) {
      for (String t : oldTypes.isEmpty() ? Set.of("any") : oldTypes) {
        boolean ok = newTypes.contains(t) || (t.equals("integer") && newTypes.contains("number"));
        if (!ok) {
          problems.add(path + ": type " + t + " in OLD is not accepted by NEW (" + newTypes + ")");
        }
      }
    }
    if (n.has("enum")) {
      Set<JsonNode> allowed = new HashSet<>();
      n.get("enum").forEach(allowed::add);
      if (o == null || !o.has("enum")) {
        problems.add(path + ": NEW restricts values to an enum that OLD did not have");
      } else {
        o.get("enum")
            .forEach(
                v -> {
                  if (!allowed.contains(v)) {
                    problems.add(path + ": value " + v + " allowed by OLD is not in NEW's enum");
                  }
                });
      }
    }
    tighter(path, o, n, "minimum", true, problems);
    tighter(path, o, n, "exclusiveMinimum", true, problems);
    tighter(path, o, n, "minLength", true, problems);
    tighter(path, o, n, "minItems", true, problems);
    tighter(path, o, n, "maximum", false, problems);
    tighter(path, o, n, "exclusiveMaximum", false, problems);
    tighter(path, o, n, "maxLength", false, problems);
    tighter(path, o, n, "maxItems", false, problems);

    Set<String> oldRequired = names(o == null ? null : o.get("required"));
    for (String r : names(n.get("required"))) {
      if (!oldRequired.contains(r)) {
        problems.add(path + "." + r + ": required by NEW but optional or absent in OLD");
      }
    }
    JsonNode oldProps = o == null ? null : o.get("properties");
    JsonNode newProps = n.get("properties");
    boolean newClosed =
        n.has("additionalProperties")
            && n.get("additionalProperties").isBoolean()
            && !n.get("additionalProperties").asBoolean();
    boolean oldClosed =
        o != null
            && o.has("additionalProperties")
            && o.get("additionalProperties").isBoolean()
            && !o.get("additionalProperties").asBoolean();
    if (oldProps != null) {
      for (Iterator<String> it = oldProps.fieldNames(); it.hasNext(); ) {
        String p = it.next();
        JsonNode np = newProps == null ? null : newProps.get(p);
        if (np != null) {
          compare(path + "." + p, oldProps.get(p), np, problems, notes);
        } else if (newClosed) {
          problems.add(path + "." + p + ": in OLD, but NEW allows no properties beyond its own");
        }
      }
    } else if (newClosed && !oldClosed && o != null && types(o).contains("object")) {
      problems.add(path + ": NEW forbids additional properties that OLD allowed");
    }
    if (newProps != null) {
      for (Iterator<String> it = newProps.fieldNames(); it.hasNext(); ) {
        String p = it.next();
        if ((oldProps == null || !oldProps.has(p)) && !oldClosed) {
          notes.add(path + "." + p + ": new in NEW; OLD events may carry it with another shape");
        }
      }
    }
    if (n.has("items")) {
      compare(path + "[]", o == null ? null : o.get("items"), n.get("items"), problems, notes);
    }
  }

  private static void tighter(
      String path, JsonNode o, JsonNode n, String key, boolean lower, List<String> problems) {
    if (!n.has(key)) {
      return;
    }
    double nv = n.get(key).asDouble();
    if (o == null || !o.has(key)) {
      problems.add(path + ": NEW adds " + key + " " + n.get(key) + " that OLD did not have");
      return;
    }
    double ov = o.get(key).asDouble();
    if (lower ? nv > ov : nv < ov) {
      problems.add(path + ": " + key + " tightened from " + o.get(key) + " to " + n.get(key));
    }
  }

  private static Set<String> types(JsonNode s) {
    Set<String> out = new HashSet<>();
    if (s == null || !s.has("type")) {
      return out;
    }
    JsonNode t = s.get("type");
    if (t.isArray()) {
      t.forEach(x -> out.add(x.asText()));
    } else {
      out.add(t.asText());
    }
    return out;
  }

  private static Set<String> names(JsonNode array) {
    Set<String> out = new HashSet<>();
    if (array != null && array.isArray()) {
      array.forEach(x -> out.add(x.asText()));
    }
    return out;
  }
}
