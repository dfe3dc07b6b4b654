package io.edgegate.sim.cli;

import io.edgegate.sim.audit.AuditReport;
import io.edgegate.sim.record.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Where the audit's JSON report goes, and writing it. */
final class ReportFiles {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private ReportFiles() {}

  /** The given file; else the run's directory for one recorded run; else the runs directory. */
  static Path write(AuditReport report, Path given, Path runsDir, Clock clock) throws IOException {
    Path file = given;
    if (file == null) {
      if (report.runs.size() == 1 && report.runs.get(0).recorded) {
        file = runsDir.resolve(report.runs.get(0).runId).resolve("audit.json");
      } else {
        file = runsDir.resolve("audit-" + TIME.format(clock.instant()) + ".json");
      }
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    RunDirectory.JSON.writeValue(file.toFile(), report);
    return file;
  }
}
