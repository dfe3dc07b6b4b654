package io.edgegate.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a configuration back as YAML in the forms a person writes ({@code 10ms}, {@code 16MiB},
 * {@code batch}), with secrets masked. The output loads again as the same configuration (secrets
 * aside), so it can be kept as a complete file.
 */
public final class ConfigPrinter {
  /** What replaces a secret's value. */
  public static final String MASK = "******";

  // Key names whose values are secrets (matched case-insensitively on the last path segment).
  private static final List<String> SECRET_WORDS =
      List.of(
          "password",
          "secret",
          "token",
          "credential",
          "sasl.jaas.config",
          "ssl.keystore.key"); // a PEM private key given inline to the Kafka client

  private static final YAMLMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .build())
          .build();

  private ConfigPrinter() {}

  /** {@code config} as YAML, secrets masked. */
  public static String toYaml(GatewayConfig config) {
    try {
      return YAML.writeValueAsString(toTree(config));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the configuration as YAML", e);
    }
  }

  /** True when the key at {@code path} holds a secret. */
  public static boolean isSecret(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith("file") || p.endsWith(".location")) {
      return false; // where a secret is (mqtt.auth.passwordFile, ssl.keystore.location): a path
    }
    return SECRET_WORDS.stream().anyMatch(p::contains);
  }

  static ObjectNode toTree(GatewayConfig config) {
    return (ObjectNode) node(config, null, "", true);
  }

  /**
   * The keys whose values differ between {@code before} and {@code after} (secrets compared, not
   * shown), as dotted paths with list indexes: {@code pipeline.routes[0].topic}.
   */
  public static java.util.SortedSet<String> changedKeys(GatewayConfig before, GatewayConfig after) {
    Map<String, JsonNode> a = new java.util.TreeMap<>();
    Map<String, JsonNode> b = new java.util.TreeMap<>();
    flatten(node(before, null, "", false), "", a);
    flatten(node(after, null, "", false), "", b);
    java.util.SortedSet<String> changed = new java.util.TreeSet<>();
    a.forEach(
        (k, v) -> {
          if (!v.equals(b.get(k))) {
            changed.add(k);
          }
        });
    b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(changed::add);
    return changed;
  }

  private static void flatten(JsonNode node, String path, Map<String, JsonNode> out) {
    if (node.isObject() && node.size() > 0) {
      node.fields()
          .forEachRemaining(
              e ->
                  flatten(
                      e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
    } else if (node.isArray() && node.size() > 0) {
      for (int i = 0; i < node.size(); i++) {
        flatten(node.get(i), path + "[" + i + "]", out);
      }
    } else {
      out.put(path, node);
    }
  }

  /** {@code value} as a node; {@code field} (or null) is where it was declared. */
  private static JsonNode node(Object value, Field field, String path, boolean mask) {
    if (value instanceof Map<?, ?> map) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      map.forEach((k, v) -> out.set(String.valueOf(k), node(v, null, path + "." + k, mask)));
      return out;
    }
    if (value instanceof Collection<?> list) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      int i = 0;
      for (Object e : list) {
        out.add(node(e, null, path + "[" + i++ + "]", mask));
      }
      return out;
    }
    if (value != null && ConfigKeys.isSection(value.getClass())) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Field f : ConfigKeys.fields(value.getClass())) {
        Object v = get(f, value);
        // null: a default that depends on others (e.g. journal.dir), left to the loader
        if (v != null) {
          String name = ConfigKeys.name(f);
          out.set(name, node(v, f, path.isEmpty() ? name : path + "." + name, mask));
        }
      }
      return out;
    }
    if (value == null) {
      return JsonNodeFactory.instance.nullNode();
    }
    if (mask && isSecret(path)) {
      return text(MASK);
    }
    JsonDeserialize how = field == null ? null : field.getAnnotation(JsonDeserialize.class);
    if (how != null && how.using() == ConfigValues.SizeDeserializer.class) {
      return text(size((Long) value));
    }
    if (value instanceof Duration d) {
      return text(duration(d));
    }
    if (value instanceof Enum<?> e) {
      return text(EnumNames.written(e)); // as the docs write it: at-least-once
    }
    if (value instanceof Number || value instanceof Boolean) {
      return YAML.valueToTree(value);
    }
    return text(String.valueOf(value)); // strings, paths, anything with a text form
  }

  private static Object get(Field field, Object section) {
    try {
      return field.get(section);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("configuration field " + field + " is not public", e);
    }
  }

  private static JsonNode text(String s) {
    return JsonNodeFactory.instance.textNode(s);
  }

  /** The largest whole unit: {@code 16MiB}, {@code 1500ms}. */
  public static String size(long bytes) {
    String[] units = {"GiB", "MiB", "KiB"};
    int[] shifts = {30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes != 0 && bytes % unit == 0) {
        return (bytes / unit) + units[i];
      }
    }
    return Long.toString(bytes);
  }

  public static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms == 0 || ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s % 86400 == 0) {
      return (s / 86400) + "d";
    }
    if (s % 3600 == 0) {
      return (s / 3600) + "h";
    }
    if (s % 60 == 0) {
      return (s / 60) + "m";
    }
    return s + "s";
  }
}
