package io.edgegate.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** External programs some tests use when the machine has them (promtool, prometheus, curl). */
final class Tools {
  private Tools() {}

  /** The executable {@code name} on the PATH, or null. */
  static Path find(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String d : path.split(File.pathSeparator)) {
      Path candidate = Path.of(d, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
