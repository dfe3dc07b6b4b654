package io.edgegate.gateway.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Applies {@code EDGEGATE_*} environment variables to the parsed YAML tree, before it is bound and
 * validated, so that every message still names the key (and the variable it came from). Naming: see
 * {@link ConfigKeys}.
 *
 * <p>A variable replaces the file's value as a string; binding converts it as it would the same
 * text in the file ({@code 10s}, {@code 64MiB}, {@code true}, enum names). A map key as a whole
 * ({@code EDGEGATE_KAFKA_PRODUCER}) and a list take a YAML flow value ({@code {linger.ms: "20"}}).
 *
 * <p>A variable that starts like a section ({@code EDGEGATE_KAFKA_…}) but names no key is an error,
 * as an unknown key in the file is: a typo must not be silently ignored. Other {@code EDGEGATE_*}
 * variables ({@code EDGEGATE_LOG_FORMAT}) are not configuration keys and are left alone.
 */
public final class EnvOverrides {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private EnvOverrides() {}

  /** Which keys took their value from which variable: messages about those keys name both. */
  public static final class Origins {
    private final Map<String, String> byPath = new LinkedHashMap<>();

    void put(String path, String variable) {
      byPath.put(path, variable);
    }

    /** Key path → variable, in the order applied. */
    public Map<String, String> byPath() {
      return byPath;
    }

    /**
     * {@code "mqtt.port: must be…"} → {@code "mqtt.port (from EDGEGATE_MQTT_PORT): must be…"} when
     * that key came from a variable.
     */
    public String annotate(String problem) {
      int colon = problem.indexOf(": ");
      if (colon < 0) {
        return problem;
      }
      String key = problem.substring(0, colon);
      String variable = byPath.get(key);
      return variable == null
          ? problem
          : key + " (from environment variable " + variable + ")" + problem.substring(colon);
    }
  }

  /**
   * Applies the configuration variables in {@code env} to {@code root}; unknown ones and values
   * that cannot be applied are added to {@code problems}.
   */
  public static Origins apply(ObjectNode root, Map<String, String> env, Problems problems) {
    Map<String, ConfigKeys.Key> byEnv = new HashMap<>();
    Map<String, String> sectionPrefixes = new HashMap<>();
    for (ConfigKeys.Key k : ConfigKeys.all()) {
      byEnv.put(k.envName(), k);
      if (k.kind() == ConfigKeys.Kind.SECTION && !k.path().contains(".")) {
        sectionPrefixes.put(k.envName() + "_", k.path());
      }
    }
    Origins origins = new Origins();
    // Sorted, so that the outcome does not depend on the environment's order.
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ConfigKeys.PREFIX)) {
        continue;
      }
      ConfigKeys.Key key = byEnv.get(name);
      int separator = name.indexOf(ConfigKeys.MAP_KEY_SEPARATOR, ConfigKeys.PREFIX.length());
      if (key != null && key.kind() == ConfigKeys.Kind.VALUE) {
        set(root, key.path(), value(key, e.getValue(), name, problems), name, problems, origins);
      } else if (key != null && key.kind() == ConfigKeys.Kind.MAP) {
        JsonNode map = parseYaml(e.getValue(), name, problems);
        if (map != null && !map.isObject()) {
          problems.add(name, "must be a YAML map such as {linger.ms: \"20\"}");
        } else if (map != null) {
          set(root, key.path(), map, name, problems, origins);
        }
      } else if (separator > 0 && isMap(byEnv.get(name.substring(0, separator)))) {
        ConfigKeys.Key mapKey = byEnv.get(name.substring(0, separator));
        String entry = ConfigKeys.mapKey(name.substring(separator + 2));
        if (entry.isEmpty()) {
          problems.add(name, "names no key after '" + ConfigKeys.MAP_KEY_SEPARATOR + "'");
        } else {
          set(
              root,
              mapKey.path() + "." + entry,
              new TextNode(e.getValue()),
              name,
              problems,
              origins);
        }
      } else {
        sectionPrefixes.entrySet().stream()
            .filter(s -> name.startsWith(s.getKey()))
            .findFirst()
            .ifPresent(s -> problems.add(name, unknown(s.getValue())));
      }
    }
    return origins;
  }

  private static boolean isMap(ConfigKeys.Key key) {
    return key != null && key.kind() == ConfigKeys.Kind.MAP;
  }

  private static String unknown(String section) {
    Set<String> known =
        ConfigKeys.all().stream()
            .filter(k -> k.kind() != ConfigKeys.Kind.SECTION)
            .filter(k -> k.path().startsWith(section + "."))
            .map(k -> k.kind() == ConfigKeys.Kind.MAP ? k.envName() + "__<KEY>" : k.envName())
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    return "environment variable names no configuration key (known for "
        + section
        + ": "
        + String.join(", ", known)
        + ")";
  }

  private static JsonNode value(ConfigKeys.Key key, String text, String name, Problems problems) {
    Class<?> type = key.field().getType();
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return parseYaml(text, name, problems);
    }
    return new TextNode(text);
  }

  private static JsonNode parseYaml(String text, String name, Problems problems) {
    try {
      return YAML.readTree(text);
    } catch (JacksonException e) {
      problems.add(name, "not a valid YAML value: " + e.getOriginalMessage());
      return null;
    }
  }

  /**
   * Sets {@code path} (dotted; the last segment may itself contain dots when it is a map key, so
   * the path is walked along the known sections) to {@code value}.
   */
  private static void set(
      ObjectNode root,
      String path,
      JsonNode value,
      String variable,
      Problems problems,
      Origins origins) {
    if (value == null) {
      return;
    }
    ObjectNode node = root;
    String rest = path;
    String walked = "";
    while (true) {
      String segment = nextSegment(walked, rest);
      if (segment.length() == rest.length()) {
        node.set(segment, value);
        origins.put(path, variable);
        return;
      }
      walked = walked.isEmpty() ? segment : walked + "." + segment;
      rest = rest.substring(segment.length() + 1);
      JsonNode child = node.get(segment);
      if (child == null || child.isNull()) {
        node = node.putObject(segment);
      } else if (child.isObject()) {
        node = (ObjectNode) child;
      } else {
        problems.add(
            variable, "cannot be applied: " + walked + " in the file is a value, not a section");
        return;
      }
    }
  }

  /** The next segment of {@code rest}: one key name, or all of it below a map. */
  private static String nextSegment(String walked, String rest) {
    boolean belowMap =
        !walked.isEmpty()
            && ConfigKeys.all().stream()
                .anyMatch(k -> k.kind() == ConfigKeys.Kind.MAP && k.path().equals(walked));
    if (belowMap) {
      return rest;
    }
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
