package io.edgegate.gateway.cli;

import io.edgegate.gateway.config.ConfigReference;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edgegate config check|print|env|reference}: configuration files, without starting
 * anything.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Check, print or list the keys of a configuration file.",
    subcommands = {
      ConfigCommand.Check.class,
      ConfigPrintCommand.class,
      ConfigEnvCommand.class,
      ConfigCommand.Reference.class
    })
final class ConfigCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** The file, from {@code --config FILE} (as {@code run} takes it) or as the one parameter. */
  static final class ConfigFile {
    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description = "The YAML configuration file.")
    Path option;

    @Parameters(
        arity = "0..1",
        paramLabel = "FILE",
        description = "The YAML configuration file (or --config FILE).")
    Path parameter;

    Path get(CommandLine commandLine) {
      if ((option == null) == (parameter == null)) {
        throw new CommandLine.ParameterException(
            commandLine, "name the configuration file once: --config FILE (or FILE)");
      }
      return option != null ? option : parameter;
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      versionProvider = Version.class,
      description = {
        "Check FILE as `run` would before it starts: every key and value, and on this machine, as"
            + " this user, every file it names (certificates and their keys, the password file,"
            + " key stores, schemas, the registry), a way for devices to authenticate, TLS off"
            + " loopback, a login for Kafka's SASL. Connects nowhere.",
        "Exit 0 if `run` would start with it, 2 with one line per problem naming its key."
      })
  static final class Check implements Callable<Integer> {
    @CommandLine.Mixin ConfigFile file;

    @Option(
        names = "--connect",
        description =
            "Also reach Kafka (an admin client with the producer's settings; nothing is written)"
                + " and say what it found; exit 1 if no broker answers.")
    boolean connect;

    @Option(
        names = "--connect-timeout",
        defaultValue = "10s",
        paramLabel = "DURATION",
        description = "How long --connect waits for Kafka (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Path path = file.get(spec.commandLine());
      var config = ConfigCheck.loadChecked(path);
      var out = spec.commandLine().getOut();
      out.println(path + ": OK");
      out.flush();
      if (connect) {
        long timeout;
        try {
          timeout =
              io.edgegate.gateway.config.ConfigValues.parseDuration(connectTimeout).toMillis();
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--connect-timeout: " + e.getMessage());
        }
        boolean reached = KafkaReach.report(config, out, timeout);
        out.flush();
        return reached ? 0 : EdgeGateCommand.EXIT_RUNTIME;
      }
      return 0;
    }
  }

  @Command(
      name = "reference",
      mixinStandardHelpOptions = true,
      versionProvider = Version.class,
      description = {
        "Print the configuration reference (docs/configuration.md) as Markdown: every key, its"
            + " type, default, unit, environment variable and description."
      })
  static final class Reference implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      out.print(ConfigReference.markdown());
      out.flush();
      return 0;
    }
  }
}
