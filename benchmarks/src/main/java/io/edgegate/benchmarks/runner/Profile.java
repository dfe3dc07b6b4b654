package io.edgegate.benchmarks.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a gateway is deployed: a configuration file (the runner lays its own ports, directories and
 * topics over it) and environment variables for {@code bin/edgegate} (JAVA_OPTS, or whatever the
 * launcher reads). {@code default} is the launcher with no file and no variables: the shipped
 * default.
 */
record Profile(String name, Optional<Path> config, Map<String, String> env) {
  static final String DEFAULT = "default";
  static final String RASPBERRY_PI = "raspberry-pi";
  private static final Pattern JAVA_OPTS = Pattern.compile("JAVA_OPTS=\"([^\"]*)\"");

  static Profile shippedDefault() {
    return new Profile(DEFAULT, Optional.empty(), Map.of());
  }

  /**
   * A profile from its configuration file; its JVM options, unless given, are those the file's
   * header tells operators to run it with ({@code JAVA_OPTS="…"}), if it says so.
   */
  static Profile fromFile(String name, Path config, Map<String, String> env) throws IOException {
    Map<String, String> e = new LinkedHashMap<>();
    Matcher m = JAVA_OPTS.matcher(Files.readString(config));
    if (m.find() && !env.containsKey("JAVA_OPTS")) {
      e.put("JAVA_OPTS", m.group(1));
    }
    e.putAll(env);
    return new Profile(name, Optional.of(config.toAbsolutePath()), Map.copyOf(e));
  }

  /** The Raspberry Pi profile of the checkout ({@code config/raspberry-pi.yaml}). */
  static Profile raspberryPi(Path checkout) throws IOException {
    return fromFile(RASPBERRY_PI, checkout.resolve("config/raspberry-pi.yaml"), Map.of());
  }

  /** For the report: file and variables. */
  String describe() {
    StringBuilder s =
        new StringBuilder(config.map(p -> "`" + p.getFileName() + "`").orElse("no file"));
    env.forEach((k, v) -> s.append(", `").append(k).append("=").append(v).append('`'));
    return s.toString();
  }
}
