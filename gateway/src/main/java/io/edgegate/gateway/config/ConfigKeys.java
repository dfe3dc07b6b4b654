package io.edgegate.gateway.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every configuration key, as the YAML file spells it, and its environment variable. Found from the
 * public fields of {@link GatewayConfig} and its sections (what Jackson binds), so a key added to a
 * section is overridable without more code.
 *
 * <p>The naming rule: {@code EDGEGATE_} + the key's path with each camelCase word in UPPER_SNAKE
 * and {@code .} as {@code _} ({@code kafka.bootstrapServers} → {@code
 * EDGEGATE_KAFKA_BOOTSTRAP_SERVERS}). Keys of a free-form map (such as {@code kafka.producer})
 * follow a double underscore, with {@code _} for {@code .} ({@code kafka.producer.linger.ms} →
 * {@code EDGEGATE_KAFKA_PRODUCER__LINGER_MS}).
 */
public final class ConfigKeys {
  public static final String PREFIX = "EDGEGATE_";
  public static final String MAP_KEY_SEPARATOR = "__";

  /** What a key holds. */
  public enum Kind {
    /** A section of further keys ({@code kafka}, {@code kafka.embedded}). */
    SECTION,
    /** A single value. */
    VALUE,
    /** A map of free-form keys to values ({@code kafka.producer}). */
    MAP
  }

  /** One key: its dotted path, its kind, its environment variable and the field it binds to. */
  public record Key(String path, Kind kind, String envName, Field field) {}

  private static final List<Key> ALL = Collections.unmodifiableList(discover());

  private ConfigKeys() {}

  /** Every key, sections before their keys, in declaration order. */
  public static List<Key> all() {
    return ALL;
  }

  /** {@code kafka.bootstrapServers} → {@code EDGEGATE_KAFKA_BOOTSTRAP_SERVERS}. */
  public static String envName(String path) {
    StringBuilder out = new StringBuilder(PREFIX);
    for (String segment : path.split("\\.")) {
      if (out.length() > PREFIX.length()) {
        out.append('_');
      }
      out.append(upperSnake(segment));
    }
    return out.toString();
  }

  /** The environment variable of key {@code mapKey} in the map at {@code mapPath}. */
  public static String envName(String mapPath, String mapKey) {
    return envName(mapPath)
        + MAP_KEY_SEPARATOR
        + mapKey.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The map key an environment variable names after {@link #MAP_KEY_SEPARATOR}. */
  static String mapKey(String envSuffix) {
    return envSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static String upperSnake(String camel) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(camel.charAt(i - 1))) {
        out.append('_');
      }
      out.append(Character.toUpperCase(c));
    }
    return out.toString();
  }

  private static List<Key> discover() {
    List<Key> keys = new ArrayList<>();
    walk(GatewayConfig.class, "", keys);
    Map<String, String> byEnv = new HashMap<>();
    for (Key k : keys) {
      String clash = byEnv.put(k.envName(), k.path());
      if (clash != null) {
        throw new IllegalStateException(
            "keys " + clash + " and " + k.path() + " have the same variable " + k.envName());
      }
    }
    return keys;
  }

  private static void walk(Class<?> type, String prefix, List<Key> out) {
    for (Field f : fields(type)) {
      String name = name(f);
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      Kind kind = kindOf(f.getType());
      out.add(new Key(path, kind, envName(path), f));
      if (kind == Kind.SECTION) {
        walk(f.getType(), path, out);
      }
    }
  }

  /** The fields of a section that Jackson binds: public, not static, not ignored. */
  static List<Field> fields(Class<?> section) {
    List<Field> out = new ArrayList<>();
    for (Field f : section.getFields()) {
      if (!Modifier.isStatic(f.getModifiers()) && !f.isAnnotationPresent(JsonIgnore.class)) {
        out.add(f);
      }
    }
    return out;
  }

  /** The key name of a field, as the YAML file spells it. */
  static String name(Field f) {
    JsonProperty renamed = f.getAnnotation(JsonProperty.class);
    return renamed != null && !renamed.value().isEmpty() ? renamed.value() : f.getName();
  }

  /** True for a class of this package that holds keys (a section, or an element of a list). */
  static boolean isSection(Class<?> type) {
    return kindOf(type) == Kind.SECTION;
  }

  private static Kind kindOf(Class<?> type) {
    if (Map.class.isAssignableFrom(type)) {
      return Kind.MAP;
    }
    boolean ours = type.getPackageName().equals(ConfigKeys.class.getPackageName());
    return ours && !type.isEnum() && !type.isInterface() ? Kind.SECTION : Kind.VALUE;
  }
}
