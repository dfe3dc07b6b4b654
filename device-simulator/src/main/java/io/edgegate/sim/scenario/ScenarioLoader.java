package io.edgegate.sim.scenario;

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
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads scenario YAML into a {@link Scenario}. Every failure is a {@link ScenarioException} whose
 * message names the key (as a dotted path) and the problem. Validation is separate ({@link
 * Scenario#validate}) because command-line options adjust the scenario first.
 */
public final class ScenarioLoader {
  private static final ObjectMapper YAML =
      JsonMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .build();

  private ScenarioLoader() {}

  public static Scenario load(Path file) {
    String source = file.toString();
    try (Reader reader = Files.newBufferedReader(file)) {
      return parse(source, reader);
    } catch (NoSuchFileException e) {
      throw new ScenarioException(source, List.of("file not found"));
    } catch (IOException e) {
      throw new ScenarioException(source, List.of("cannot be read: " + e.getMessage()));
    }
  }

  public static Scenario parse(String source, String yaml) {
    try {
      return parse(source, new StringReader(yaml));
    } catch (IOException e) {
      throw new ScenarioException(source, List.of("cannot be read: " + e.getMessage()));
    }
  }

  private static Scenario parse(String source, Reader reader) throws IOException {
    try {
      // The whole document first, so that a syntax error is reported as one, with its line.
      JsonNode tree = YAML.readTree(reader);
      return tree == null || tree.isMissingNode() || tree.isNull()
          ? new Scenario()
          : YAML.treeToValue(tree, Scenario.class);
    } catch (JacksonException e) {
      throw new ScenarioException(source, List.of(describe(e)));
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
      Class<?> type = f.getTargetType();
      String hint =
          f.getOriginalMessage() != null && f.getOriginalMessage().startsWith("'")
              ? f.getOriginalMessage() // from Values: already says what is expected
              : type != null && type.isEnum()
                  ? "must be one of "
                      + Arrays.stream(type.getEnumConstants())
                          .map(c -> c.toString().toLowerCase(Locale.ROOT))
                          .collect(Collectors.joining(", "))
                  : "expected " + describeType(type);
      return path(f) + ": invalid value '" + f.getValue() + "': " + hint;
    }
    if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      return path(m) + ": wrong kind of value (expected " + describeType(m.getTargetType()) + ")";
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

  private static String describeType(Class<?> type) {
    if (type == null) {
      return "a value";
    }
    return switch (type.getSimpleName()) {
      case "int", "Integer", "long", "Long" -> "a whole number";
      case "double", "Double" -> "a number";
      case "boolean", "Boolean" -> "true or false";
      case "String", "Path" -> "a string";
      case "List", "ArrayList" -> "a list";
      default -> "a " + type.getSimpleName() + " section";
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
