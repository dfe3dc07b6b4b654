package io.edgegate.gateway.cli;

import io.edgegate.gateway.journal.JournalInspector;
import io.edgegate.gateway.journal.JournalSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgegate journal inspect}: the journal's extent, forward progress and disk use. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Show the journal's head and checkpoint indexes, backlog, files, disk use, the receive"
            + " times of its oldest and newest events and any quarantined files.")
final class JournalInspectCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  JournalLocation location;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    JournalSummary summary;
    try (JournalInspector journal = location.open(spec.commandLine())) {
      summary = journal.summarize();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(json ? SummaryJson.of(summary) : SummaryText.of(summary));
    out.flush();
    return 0;
  }
}
