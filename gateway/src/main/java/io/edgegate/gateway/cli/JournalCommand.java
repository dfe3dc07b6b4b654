package io.edgegate.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code edgegate journal …}: look into the journal, and send part of it to Kafka again. Every
 * subcommand only reads the journal (Chronicle's read-only mode) and never touches its checkpoint,
 * so it can run beside the gateway; none repairs a damaged journal (the gateway's start does).
 */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Inspect, dump or tail the journal, or replay part of it to Kafka.",
      "Every subcommand only reads the journal and never changes its checkpoint: safe while the"
          + " gateway runs."
    },
    subcommands = {
      JournalInspectCommand.class,
      JournalDumpCommand.class,
      JournalTailCommand.class,
      JournalReplayCommand.class
    })
final class JournalCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }
}
