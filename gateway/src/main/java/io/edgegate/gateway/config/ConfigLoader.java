package io.edgegate.gateway.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the YAML file into {@link GatewayConfig} and validates it. Every failure is a {@link
 * ConfigException} whose message names the key (as a dotted path) and the problem.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML =
      JsonMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .addModule(EnumNames.module())
          // A key without a value (an empty section, or its only key commented out) keeps its
          // default, as a missing key does.
          .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.SKIP))
          .build();

  private ConfigLoader() {}

  /** Loads {@code file} with this process's {@code EDGEGATE_*} environment variables applied. */
  public static GatewayConfig load(Path file) {
    return load(file, System.getenv());
  }

  /** Loads {@code file} with the configuration variables of {@code env} applied. */
  public static GatewayConfig load(Path file, Map<String, String> env) {
    String source = file.toString();
    try (Reader reader = Files.newBufferedReader(file)) {
      return parse(source, reader, env);
    } catch (NoSuchFileException e) {
      throw new ConfigException(source, List.of("file not found"));
    } catch (IOException e) {
      throw new ConfigException(source, List.of("cannot be read: " + e.getMessage()));
    }
  }

  /** Parses {@code yaml} as it is (no environment variables applied). */
  public static GatewayConfig parse(String source, String yaml) {
    return parse(source, yaml, Map.of());
  }

  /** Parses {@code yaml} with the configuration variables of {@code env} applied. */
  public static GatewayConfig parse(String source, String yaml, Map<String, String> env) {
    try {
      return parse(source, new StringReader(yaml), env);
    } catch (IOException e) {
      throw new ConfigException(source, List.of("cannot be read: " + e.getMessage()));
    }
  }

  private static GatewayConfig parse(String source, Reader reader, Map<String, String> env)
      throws IOException {
    GatewayConfig config;
    EnvOverrides.Origins origins = new EnvOverrides.Origins();
    try {
      // Parse the whole document first, so that a syntax error is reported as one, with its line.
      JsonNode tree = YAML.readTree(reader);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        tree = YAML.createObjectNode(); // an empty file means all defaults
      }
      if (tree instanceof ObjectNode root) {
        // Overrides and secrets go into the tree before binding: messages then name the key.
        Problems problems = new Problems();
        origins = EnvOverrides.apply(root, env, problems);
        SecretRefs.resolve(root, env, problems);
        throwIfAny(source, problems, origins);
      }
      config = YAML.treeToValue(tree, GatewayConfig.class);
    } catch (JacksonException e) {
      throw new ConfigException(source, List.of(origins.annotate(describe(e))));
    }
    Problems problems = new Problems();
    config.validate(problems);
    throwIfAny(source, problems, origins);
    return config;
  }

  private static void throwIfAny(String source, Problems problems, EnvOverrides.Origins origins) {
    if (!problems.list().isEmpty()) {
      throw new ConfigException(source, problems.list().stream().map(origins::annotate).toList());
    }
  }

  private static String describe(JacksonException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds().stream()
              .map(String::valueOf)
              .sorted()
              .collect(Collectors.joining(", "));
      return path(u) + ": unknown key (known keys here: " + known + ")";
    }
    if (e instanceof InvalidFormatException f) {
      String hint =
          f.getOriginalMessage() != null && f.getOriginalMessage().startsWith("'")
              ? f.getOriginalMessage() // from ConfigValues: already says what is expected
              : f.getTargetType() != null && f.getTargetType().isEnum()
                  ? "must be one of "
                      + java.util.Arrays.stream(f.getTargetType().getEnumConstants())
                          .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
                          .collect(Collectors.joining(", "))
                  : f.getTargetType() != null
                      ? "expected " + describeType(f.getTargetType().getSimpleName())
                      : firstLine(f.getOriginalMessage());
      return path(f) + ": invalid value '" + f.getValue() + "': " + hint;
    }
    if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      String type = m.getTargetType() == null ? "a value" : m.getTargetType().getSimpleName();
      return path(m) + ": wrong kind of value (expected " + describeType(type) + ")";
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      return path(m) + ": " + firstLine(m.getOriginalMessage());
    }
    String where =
        e.getLocation() == null
            ? ""
            : " at line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr();
    return "not valid YAML" + where + ": " + firstLine(e.getOriginalMessage());
  }

  private static String describeType(String simpleName) {
    return switch (simpleName) {
      case "int", "Integer", "long", "Long" -> "a whole number";
      case "boolean", "Boolean" -> "true or false";
      case "String" -> "a string";
      case "double", "Double", "float", "Float" -> "a number";
      case "Map", "LinkedHashMap" -> "a map of keys to values";
      case "List", "ArrayList" -> "a list";
      case "Path" -> "a file or directory path";
      case "Duration" -> "a duration such as 10s";
      default -> "a section";
    };
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
