package io.edgegate.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code edgegate deadletter …}: work with the dead-letter topic ({@code kafka.deadLetterTopic}).
 */
@Command(
    name = "deadletter",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Reprocess dead-lettered events after a schema, route or registry fix.",
    subcommands = {DeadLetterReplayCommand.class})
final class DeadLetterCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }
}
