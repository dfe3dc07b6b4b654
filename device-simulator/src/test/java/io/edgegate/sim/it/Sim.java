package io.edgegate.sim.it;

import io.edgegate.sim.audit.AuditReport;
import io.edgegate.sim.cli.SimCommand;
import io.edgegate.sim.record.RunDirectory;
import io.edgegate.sim.record.RunRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs {@code edgegate-sim} in the test JVM, as a user would run it, and reads its files. */
final class Sim {
  private Sim() {}

  record Result(int exitCode, String out, String err) {}

  static Result execute(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        SimCommand.commandLine(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute(args);
    Result r =
        new Result(
            code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    // Shown in the Failsafe report: what a user would have seen.
    System.out.println("$ edgegate-sim " + String.join(" ", args));
    System.out.print(r.out());
    System.out.print(r.err());
    System.out.println("exit " + code);
    return r;
  }

  static RunRecord record(Path runsDir, String runId) throws IOException {
    return RunDirectory.find(runsDir, runId).orElseThrow().readRecord();
  }

  static AuditReport audit(Path file) throws IOException {
    return RunDirectory.JSON.readValue(file.toFile(), AuditReport.class);
  }
}
