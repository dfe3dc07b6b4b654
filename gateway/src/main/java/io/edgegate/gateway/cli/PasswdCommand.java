package io.edgegate.gateway.cli;

import io.edgegate.gateway.ingest.auth.PasswordFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgegate passwd FILE USER}: adds or changes a device's password in a password file ({@code
 * mqtt.auth.passwordFile}), hashed with bcrypt. The password is read from the terminal (asked
 * twice, not echoed) or, when standard input is not a terminal, as its first line, so it never
 * appears in the process list or shell history. A running gateway picks the change up within {@code
 * mqtt.auth.reloadInterval}.
 */
@Command(
    name = "passwd",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Add or change USER's password in the password file FILE (bcrypt); the password is read"
            + " from the terminal, or from the first line of standard input.")
final class PasswdCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The password file (created if absent).")
  Path file;

  @Parameters(index = "1", paramLabel = "USER", description = "The user name (a device's id).")
  String user;

  @Option(
      names = {"-d", "--delete"},
      description = "Remove USER instead.")
  boolean delete;

  @Option(
      names = "--cost",
      defaultValue = "" + PasswordFile.DEFAULT_COST,
      description = "bcrypt cost, 2^cost rounds (default: ${DEFAULT-VALUE}; 4 to 31).")
  int cost;

  @Spec CommandSpec spec;

  /** Standard input; replaced in tests. */
  InputStream in = System.in;

  /** The terminal, or null when input is piped. */
  Console console = System.console();

  @Override
  public Integer call() throws IOException {
    if (cost < 4 || cost > 31) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--cost must be from 4 to 31 (was " + cost + ")");
    }
    PasswordFile entries = Files.exists(file) ? PasswordFile.read(file) : PasswordFile.empty();
    if (delete) {
      if (!entries.contains(user)) {
        spec.commandLine().getErr().println("edgegate: " + file + " has no user '" + user + "'");
        return EdgeGateCommand.EXIT_RUNTIME;
      }
      entries.without(user).write(file);
      spec.commandLine().getOut().println("Removed " + user + " from " + file);
      return 0;
    }
    char[] password = readPassword();
    try {
      if (password == null || password.length == 0) {
        spec.commandLine().getErr().println("edgegate: no password given");
        return EdgeGateCommand.EXIT_CONFIG;
      }
      if (new String(password).getBytes(StandardCharsets.UTF_8).length > 71) {
        spec.commandLine()
            .getErr()
            .println("edgegate: a password may have at most 71 bytes (bcrypt)");
        return EdgeGateCommand.EXIT_CONFIG;
      }
      boolean existed = entries.contains(user);
      entries.with(user, password, cost).write(file);
      spec.commandLine()
          .getOut()
          .println((existed ? "Changed the password of " : "Added ") + user + " in " + file);
      return 0;
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }

  private char[] readPassword() throws IOException {
    if (console != null) {
      char[] first = console.readPassword("Password for %s: ", user);
      char[] again = console.readPassword("Again: ");
      if (first == null || !Arrays.equals(first, again)) {
        spec.commandLine().getErr().println("edgegate: the passwords differ");
        return null;
      }
      Arrays.fill(again, '\0');
      return first;
    }
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line = reader.readLine();
    return line == null ? null : line.toCharArray();
  }
}
