package io.edgegate.gateway.cli;

import io.edgegate.gateway.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code edgegate config check FILE}: validates a configuration without starting anything. */
@Command(
    name = "config",
    description = "Work with configuration files.",
    subcommands = {ConfigCommand.Check.class, ConfigPrintCommand.class, ConfigEnvCommand.class})
final class ConfigCommand {

  @Command(
      name = "check",
      description = "Validate FILE; exit 0 if it is usable, 2 with the problems if not.")
  static final class Check implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The YAML configuration file.")
    Path file;

    @Override
    public Integer call() {
      ConfigLoader.load(file);
      System.out.println(file + ": OK");
      return 0;
    }
  }
}
