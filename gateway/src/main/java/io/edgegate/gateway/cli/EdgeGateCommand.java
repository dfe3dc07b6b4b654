package io.edgegate.gateway.cli;

import io.edgegate.gateway.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code edgegate}: the command line. Exit codes: 0 done, 1 failed at run time, 2 bad usage or
 * config.
 */
@Command(
    name = "edgegate",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "IoT edge event gateway: MQTT in, durable local journal, Kafka out.",
    subcommands = {
      RunCommand.class,
      ConfigCommand.class,
      JournalCommand.class,
      TraceCommand.class,
      DeadLetterCommand.class,
      PasswdCommand.class,
      SchemaCommand.class
    })
public final class EdgeGateCommand implements Runnable {
  public static final int EXIT_RUNTIME = 1;
  public static final int EXIT_CONFIG = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with EdgeGate's error handling: config problems print cleanly, exit 2. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new EdgeGateCommand());
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          ConfigException bad = configProblem(e);
          if (bad != null) {
            commandLine.getErr().println("edgegate: invalid configuration: " + bad.getMessage());
            return EXIT_CONFIG;
          }
          commandLine.getErr().println("edgegate: " + describe(e));
          return EXIT_RUNTIME;
        });
    return cl;
  }

  /** The configuration problem behind {@code e} (it may be wrapped), or null. */
  static ConfigException configProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConfigException c) {
        return c;
      }
    }
    return null;
  }

  /** What went wrong in words: the messages of {@code e} and its causes, without class names. */
  static String describe(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      if (m == null || m.isBlank() || out.indexOf(m) >= 0) {
        continue;
      }
      out.append(out.length() == 0 ? "" : ": ").append(m.strip().replace('\n', ' '));
    }
    return out.length() == 0 ? e.getClass().getSimpleName() : out.toString();
  }
}
