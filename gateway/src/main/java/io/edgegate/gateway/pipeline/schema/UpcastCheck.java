package io.edgegate.gateway.pipeline.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.edgegate.gateway.config.PipelineConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether the configured upcasts carry events of an old schema version to valid events of a newer
 * one, as the pipeline would: each example of OLD (its {@code examples} keyword) that is valid as
 * OLD is upcast through every step between the two versions and validated as NEW, with the same
 * validator the pipeline uses. What it proves is bounded by the examples: a field no example has is
 * not exercised, and without examples nothing is proven. Pure; thread-safe.
 */
public final class UpcastCheck {
  /**
   * {@code examples} run (valid as OLD), {@code problems} (each names the example by its place in
   * {@code examples}, from 1), {@code notes} (examples skipped, and why).
   */
  public record Report(int examples, List<String> problems, List<String> notes) {
    /** True when at least one example was run and every one came out valid as NEW. */
    public boolean covered() {
      return examples > 0 && problems.isEmpty();
    }
  }

  private UpcastCheck() {}

  /**
   * @param steps the upcast of each version from OLD's up to NEW's (exclusive), in order; a null
   *     step changes nothing
   */
  public static Report check(
      JsonNode oldSchema,
      JsonNode newSchema,
      List<PipelineConfig.Upcast> steps,
      String label,
      ObjectMapper json) {
    JsonSchema before = SchemaCatalog.compile(oldSchema);
    JsonSchema after = SchemaCatalog.compile(newSchema);
    List<Upcaster> upcasters = new ArrayList<>();
    for (PipelineConfig.Upcast s : steps) {
      if (s != null) {
        upcasters.add(new Upcaster(s, json));
      }
    }
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    JsonNode examples = oldSchema.get("examples");
    int run = 0;
    if (examples != null && examples.isArray()) {
      for (int i = 0; i < examples.size(); i++) {
        JsonNode example = examples.get(i);
        String which = "example " + (i + 1);
        if (!(example instanceof ObjectNode object)) {
          notes.add(which + ": not a JSON object; the pipeline upcasts objects only");
          continue;
        }
        if (!before.validate(example).isEmpty()) {
          notes.add(which + ": not valid as OLD, not run");
          continue;
        }
        ObjectNode event = object.deepCopy();
        for (Upcaster u : upcasters) {
          u.apply(event);
        }
        run++;
        Set<ValidationMessage> errors = after.validate(event);
        if (!errors.isEmpty()) {
          ValidationMessage first = errors.iterator().next();
          problems.add(
              which
                  + " after upcast "
                  + label
                  + ": "
                  + first.getInstanceLocation()
                  + ": "
                  + first.getMessage()
                  + " (became "
                  + event
                  + ")");
        }
      }
    }
    return new Report(run, List.copyOf(problems), List.copyOf(notes));
  }
}
