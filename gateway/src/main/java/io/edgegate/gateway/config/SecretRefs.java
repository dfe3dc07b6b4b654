package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets kept out of the configuration file: a string value that is exactly {@code ${file:PATH}}
 * becomes the content of that file (one trailing newline removed: Docker and Kubernetes secrets,
 * systemd credentials), and {@code ${env:NAME}} the value of that environment variable. Applied to
 * the whole tree after the environment overrides, so a variable may hold a reference too.
 *
 * <p>Only whole values are replaced, never parts of a string. Kafka's own configuration providers
 * ({@code config.providers} in {@code kafka.producer}) keep working for other provider names;
 * {@code ${file:…}} as a whole value is EdgeGate's.
 */
final class SecretRefs {
  private static final Pattern REF = Pattern.compile("\\$\\{(file|env):([^}]+)}");
  private static final long MAX_FILE_BYTES = 64 * 1024;

  private SecretRefs() {}

  static void resolve(JsonNode root, Map<String, String> env, Problems problems) {
    walk(root, "", env, problems);
  }

  private static void walk(JsonNode node, String path, Map<String, String> env, Problems problems) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String childPath = path.isEmpty() ? name : path + "." + name;
        JsonNode child = object.get(name);
        JsonNode resolved = resolved(child, childPath, env, problems);
        if (resolved != child) {
          object.set(name, resolved);
        } else {
          walk(child, childPath, env, problems);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        String childPath = path + "[" + i + "]";
        JsonNode child = array.get(i);
        JsonNode resolved = resolved(child, childPath, env, problems);
        if (resolved != child) {
          array.set(i, resolved);
        } else {
          walk(child, childPath, env, problems);
        }
      }
    }
  }

  private static JsonNode resolved(
      JsonNode node, String path, Map<String, String> env, Problems problems) {
    if (node == null || !node.isTextual()) {
      return node;
    }
    if (node.textValue().equals(ConfigPrinter.MASK)) {
      // What `config print` writes for a secret: a printed file must not start with it.
      problems.add(
          path,
          "is masked ("
              + ConfigPrinter.MASK
              + ", as config print writes secrets): set the value, or ${file:PATH} / ${env:NAME}");
      return node;
    }
    Matcher m = REF.matcher(node.textValue().trim());
    if (!m.matches()) {
      return node;
    }
    String target = m.group(2).trim();
    if (m.group(1).equals("env")) {
      String value = env.get(target);
      if (value == null) {
        problems.add(path, "refers to environment variable " + target + ", which is not set");
        return node;
      }
      return new TextNode(value);
    }
    return readFile(Path.of(target), path, problems, node);
  }

  private static JsonNode readFile(Path file, String path, Problems problems, JsonNode original) {
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        problems.add(
            path,
            "secret file "
                + file
                + " has "
                + size
                + " bytes; at most "
                + MAX_FILE_BYTES
                + " allowed");
        return original;
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (text.endsWith("\r\n")) {
        text = text.substring(0, text.length() - 2);
      } else if (text.endsWith("\n")) {
        text = text.substring(0, text.length() - 1);
      }
      return new TextNode(text);
    } catch (NoSuchFileException e) {
      problems.add(path, "secret file " + file + " does not exist");
    } catch (IOException e) {
      problems.add(path, "secret file " + file + " cannot be read: " + e);
    }
    return original;
  }
}
