package io.edgegate.gateway.cli;

import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.journal.JournalInspector;
import io.edgegate.gateway.journal.JournalNotFoundException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Which journal a {@code journal} command reads: the one a configuration file names, or a
 * directory. Used as an exclusive argument group (exactly one of the two).
 */
final class JournalLocation {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "The gateway's YAML configuration: its journal.dir (default <gateway.dataDir>/journal),"
              + " resolved against the current directory as the gateway does.")
  Path configFile;

  @Option(names = "--dir", paramLabel = "DIR", description = "The journal directory itself.")
  Path dir;

  /** The configuration, or null with {@code --dir}. Invalid: {@code ConfigException} (exit 2). */
  GatewayConfig config() {
    return configFile == null ? null : ConfigLoader.load(configFile);
  }

  /**
   * Opens the journal read-only; a directory without one is a usage error (exit 2), not a failure.
   */
  static JournalInspector open(CommandLine commandLine, Path dir, GatewayConfig config) {
    try {
      return JournalInspector.open(dir, config == null ? null : config.journal.roll);
    } catch (JournalNotFoundException e) {
      throw new CommandLine.ParameterException(commandLine, e.getMessage());
    }
  }

  /** Opens the journal this location names. */
  JournalInspector open(CommandLine commandLine) {
    GatewayConfig config = config();
    Path journalDir = dir != null ? dir : config.journal.dir(config.gateway.dataDir);
    return open(commandLine, journalDir, config);
  }
}
