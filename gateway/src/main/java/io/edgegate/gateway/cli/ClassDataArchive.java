package io.edgegate.gateway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The class-data-sharing archive the launcher asks the JVM to write at exit holds the classes this
 * run loaded. Only a gateway that ran and stopped cleanly loaded the classes every later start
 * needs; a run that failed early (bad config, {@code --help}) would freeze a small archive. So the
 * launcher keeps a written archive only when this marker says the stop was clean.
 */
final class ClassDataArchive {
  /** Set by bin/edgegate: the marker file that vouches for the archive written at exit. */
  static final String MARKER_PROPERTY = "edgegate.cds.cleanStopMarker";

  private ClassDataArchive() {}

  /** Called after a clean stop of a gateway that had started. */
  static void cleanStop() {
    String marker = System.getProperty(MARKER_PROPERTY);
    if (marker == null || marker.isBlank()) {
      return;
    }
    try {
      Files.writeString(Path.of(marker), "clean stop\n");
    } catch (IOException e) {
      // Without the marker the launcher discards the archive: slower starts, nothing worse.
    }
  }
}
