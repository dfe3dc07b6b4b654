package io.edgegate.sim.cli;

import io.edgegate.sim.Version;
import io.edgegate.sim.audit.AuditException;
import io.edgegate.sim.scenario.ScenarioException;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code edgegate-sim}: virtual devices and the audit. Exit codes: 0 done, 1 failed at run time, 2
 * bad usage or scenario, 3 the audit found a failure (by default: an acknowledged event lost).
 */
@Command(
    name = "edgegate-sim",
    mixinStandardHelpOptions = true,
    versionProvider = SimCommand.VersionProvider.class,
    description =
        "Thousands of virtual MQTT devices in one process, and an audit that reads Kafka back:"
            + " loss, duplicates, order and latency.",
    subcommands = {RunCommand.class, AuditCommand.class, CheckCommand.class})
public final class SimCommand implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_RUNTIME = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_AUDIT_FAILED = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  final PrintStream out;
  final PrintStream err;

  SimCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.out, System.err).execute(args));
  }

  /** The command line writing to {@code out} and {@code err}, with the exit codes above. */
  public static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new SimCommand(out, err));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ScenarioException) {
            err.println("edgegate-sim: invalid scenario: " + e.getMessage());
            return EXIT_USAGE;
          }
          if (e instanceof AuditException) {
            err.println(
                "edgegate-sim: "
                    + e.getMessage()
                    + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
            return EXIT_USAGE;
          }
          err.println("edgegate-sim: " + e);
          return EXIT_RUNTIME;
        });
    return cl;
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"edgegate-sim " + Version.get()};
    }
  }
}
