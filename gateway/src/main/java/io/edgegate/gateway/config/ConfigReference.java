package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The configuration reference, {@code docs/configuration.md}: every key of {@link ConfigKeys} with
 * its type, default, unit, environment variable and {@link KeyDoc}, section by section. Keys of the
 * elements of a list or map of sections ({@code pipeline.routes[].match}) are listed under their
 * list; they have no variable of their own (the list's variable takes the whole list as YAML).
 *
 * <p>Written by {@code edgegate config reference}; {@code ConfigReferenceTest} fails when the page
 * in the repository differs from what this writes.
 */
public final class ConfigReference {
  private ConfigReference() {}

  /** One row of the reference. */
  record Row(String path, Field field, Object defaultValue, String envName) {}

  /** A heading and its rows: a section, or the elements of a list or map of sections. */
  record Section(String path, Field field, List<Row> rows) {}

  /** Keys that have no {@link KeyDoc}: the page would not describe them. */
  public static List<String> undocumented() {
    List<String> out = new ArrayList<>();
    for (Section s : sections()) {
      if (s.field() != null && s.field().getAnnotation(KeyDoc.class) == null) {
        out.add(s.path());
      }
      for (Row r : s.rows()) {
        if (r.field().getAnnotation(KeyDoc.class) == null) {
          out.add(r.path());
        }
      }
    }
    return out;
  }

  /** The page, as Markdown. */
  public static String markdown() {
    List<Section> sections = sections();
    StringBuilder out = new StringBuilder();
    out.append(INTRO);
    out.append("\n## Sections\n\n");
    for (Section s : sections) {
      String indent = "  ".repeat(depth(s.path()));
      out.append(indent)
          .append("- [`")
          .append(s.path())
          .append("`](#")
          .append(anchor(s.path()))
          .append(")\n");
    }
    for (Section s : sections) {
      out.append('\n')
          .append(depth(s.path()) == 0 ? "## `" : "### `")
          .append(s.path())
          .append("`\n\n");
      String about = doc(s.field());
      if (!about.isEmpty()) {
        out.append(about).append("\n\n");
      }
      if (s.rows().isEmpty()) {
        out.append("Only the sections below.\n");
        continue;
      }
      out.append("| key | type | default | unit | environment variable | description |\n");
      out.append("|---|---|---|---|---|---|\n");
      for (Row r : s.rows()) {
        out.append("| `")
            .append(r.path())
            .append("` | ")
            .append(cell(type(r.field())))
            .append(" | ")
            .append(cell(defaultText(r)))
            .append(" | ")
            .append(cell(unit(r.field())))
            .append(" | ")
            .append(cell(r.envName()))
            .append(" | ")
            .append(cell(doc(r.field())))
            .append(" |\n");
      }
    }
    return out.toString();
  }

  private static final String INTRO =
      """
      # Configuration reference

      <!-- Generated from the @KeyDoc annotations of gateway/src/main/java/io/edgegate/gateway/config/.
           Do not edit by hand: change the annotation, then run
           mvn -B -o -q test -pl gateway -Dtest=ConfigReferenceTest -Dconfig.reference.write=true -->

      Every key of EdgeGate's one YAML file, with its type, its default, its unit and the environment
      variable that overrides it. `bin/edgegate config check --config FILE` checks a file as `run`
      would; `bin/edgegate config print --config FILE` shows what the gateway would run with;
      `bin/edgegate config reference` prints this page. How the file, the variables and secrets
      combine: [operations.md](operations.md#configuration).

      - **Sizes** are bytes, written `65536`, `64KiB`, `16MiB` or `2GiB` (1024-based; `KB`, `MB`, `GB`
        too). **Durations** are written `250ms`, `10s`, `5m`, `1h`, `7d` (or ISO-8601, `PT10S`).
      - **Enum** values may be written `exactly-once`, `exactly_once` or `EXACTLY_ONCE`.
      - **Environment variables**: `EDGEGATE_` + the key's path, each camelCase word in UPPER_SNAKE_CASE,
        `.` as `_`. A variable's value is read as the same text in the file would be. A key of a map
        (`kafka.producer.linger.ms`) is the map's variable, `__`, then the key in capitals with `.` as
        `_` (`EDGEGATE_KAFKA_PRODUCER__LINGER_MS`); a map or a list as a whole takes a YAML flow value.
      - A string value that is exactly `${file:PATH}` is replaced by that file's content, `${env:NAME}`
        by that variable's value.
      - An empty section means its defaults; an unknown key is an error.
      """;

  static List<Section> sections() {
    List<Section> out = new ArrayList<>();
    Map<String, Object> defaults = new java.util.HashMap<>();
    defaults.put("", new GatewayConfig());
    Section current = null;
    for (ConfigKeys.Key k : ConfigKeys.all()) {
      String parent = parentOf(k.path());
      Object owner = defaults.get(parent);
      Object value = owner == null ? null : get(k.field(), owner);
      if (k.kind() == ConfigKeys.Kind.SECTION) {
        defaults.put(k.path(), value);
        current = new Section(k.path(), k.field(), new ArrayList<>());
        out.add(current);
        continue;
      }
      if (current == null || !parent.equals(current.path())) {
        // a key after a subsection's keys, back in its own section
        current = find(out, parent);
      }
      current.rows().add(new Row(k.path(), k.field(), value, envText(k)));
      Class<?> element = sectionElement(k.field().getGenericType());
      if (element != null) {
        elements(k.path() + suffix(k.field()), k.field(), element, out);
        current = find(out, parent);
      }
    }
    return out;
  }

  /** Keys of the elements of a list or map of sections, as a section of their own. */
  private static void elements(String path, Field field, Class<?> type, List<Section> out) {
    Section s = new Section(path, field, new ArrayList<>());
    out.add(s);
    Object instance = newInstance(type);
    List<Object[]> nested = new ArrayList<>();
    for (Field f : ConfigKeys.fields(type)) {
      String key = path + "." + ConfigKeys.name(f);
      if (ConfigKeys.isSection(f.getType())) {
        nested.add(new Object[] {key, f, f.getType()});
        continue;
      }
      s.rows()
          .add(new Row(key, f, get(f, instance), "— (in the variable of the whole list or map)"));
      Class<?> element = sectionElement(f.getGenericType());
      if (element != null) {
        nested.add(new Object[] {key + suffix(f), f, element});
      }
    }
    for (Object[] n : nested) {
      elements((String) n[0], (Field) n[1], (Class<?>) n[2], out);
    }
  }

  private static Section find(List<Section> sections, String path) {
    for (Section s : sections) {
      if (s.path().equals(path)) {
        return s;
      }
    }
    throw new IllegalStateException("no section " + path);
  }

  private static String suffix(Field f) {
    return Map.class.isAssignableFrom(f.getType()) ? ".<" + mapKeyName(f) + ">" : "[]";
  }

  private static String mapKeyName(Field f) {
    Type key = ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
    return key == Integer.class ? "version" : "name";
  }

  /** The section class held by a {@code List<X>} or {@code Map<K, X>}, or null. */
  private static Class<?> sectionElement(Type type) {
    if (!(type instanceof ParameterizedType p)) {
      return null;
    }
    Type[] args = p.getActualTypeArguments();
    Type element = args[args.length - 1];
    return element instanceof Class<?> c && ConfigKeys.isSection(c) ? c : null;
  }

  private static String envText(ConfigKeys.Key k) {
    return k.kind() == ConfigKeys.Kind.MAP
        ? "`" + k.envName() + "`, `" + k.envName() + ConfigKeys.MAP_KEY_SEPARATOR + "<KEY>`"
        : "`" + k.envName() + "`";
  }

  private static String parentOf(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }

  private static int depth(String path) {
    return path.contains(".") ? 1 : 0;
  }

  /** GitHub's anchor of a heading that is {@code `path`}: backticks, dots and brackets dropped. */
  static String anchor(String path) {
    return path.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }

  private static String doc(Field f) {
    KeyDoc d = f == null ? null : f.getAnnotation(KeyDoc.class);
    return d == null ? "" : d.value();
  }

  private static String type(Field f) {
    Class<?> t = f.getType();
    if (isSize(f)) {
      return "size";
    }
    if (t == Duration.class) {
      return "duration";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "boolean";
    }
    if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
      return "integer";
    }
    if (t == double.class || t == Double.class) {
      return "number";
    }
    if (t == Path.class) {
      return "path";
    }
    if (t.isEnum()) {
      return java.util.Arrays.stream(t.getEnumConstants())
          .map(e -> "`" + EnumNames.written((Enum<?>) e) + "`")
          .collect(Collectors.joining(" \\| "));
    }
    if (Collection.class.isAssignableFrom(t)) {
      Class<?> element = sectionElement(f.getGenericType());
      return element != null ? "list of sections" : "list of strings";
    }
    if (Map.class.isAssignableFrom(t)) {
      return sectionElement(f.getGenericType()) != null ? "map of sections" : "map";
    }
    return "string";
  }

  private static String unit(Field f) {
    KeyDoc d = f.getAnnotation(KeyDoc.class);
    if (d != null && !d.unit().isEmpty()) {
      return d.unit();
    }
    if (isSize(f)) {
      return "bytes";
    }
    return f.getType() == Duration.class ? "time" : "";
  }

  private static boolean isSize(Field f) {
    JsonDeserialize how = f.getAnnotation(JsonDeserialize.class);
    return how != null && how.using() == ConfigValues.SizeDeserializer.class;
  }

  private static String defaultText(Row r) {
    KeyDoc d = r.field().getAnnotation(KeyDoc.class);
    if (d != null && !d.defaultValue().isEmpty()) {
      return d.defaultValue();
    }
    Object v = r.defaultValue();
    if (v == null) {
      return "—";
    }
    if (isSize(r.field())) {
      return "`" + ConfigPrinter.size((Long) v) + "`";
    }
    if (v instanceof Duration duration) {
      return "`" + ConfigPrinter.duration(duration) + "`";
    }
    if (v instanceof Enum<?> e) {
      return "`" + EnumNames.written(e) + "`";
    }
    if (v instanceof Double n && n == Math.rint(n)) {
      return "`" + n.longValue() + "`";
    }
    if (v instanceof Collection<?> c) {
      if (c.stream().anyMatch(e -> e != null && ConfigKeys.isSection(e.getClass()))) {
        throw new IllegalStateException(r.path() + ": a list of sections needs a defaultValue");
      }
      return c.isEmpty() ? "`[]`" : "`" + c + "`";
    }
    if (v instanceof Map<?, ?> m) {
      return m.isEmpty() ? "`{}`" : "`" + m + "`";
    }
    return "`" + v + "`";
  }

  /** A table cell: pipes escaped, on one line. */
  private static String cell(String text) {
    return text.replaceAll("(?<!\\\\)\\|", "\\\\|").replace('\n', ' ');
  }

  private static Object get(Field f, Object owner) {
    try {
      return f.get(owner);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("configuration field " + f + " is not public", e);
    }
  }

  private static Object newInstance(Class<?> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type + " needs a public no-argument constructor", e);
    }
  }
}
