package io.edgegate.gateway.cli;

import io.edgegate.gateway.journal.JournalCursor;
import io.edgegate.gateway.journal.JournalInspector;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgegate journal tail}: {@code dump} from the end, optionally following new entries. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Print the last entries of the journal as JSON lines, as dump does.",
      "With --follow, keep printing new entries until interrupted (Ctrl-C)."
    })
final class JournalTailCommand implements Callable<Integer> {
  // How often a follower looks for new entries: a person watching, not a pipeline.
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  @ArgGroup(multiplicity = "1")
  JournalLocation location;

  @Option(
      names = {"-n", "--lines"},
      paramLabel = "N",
      defaultValue = "10",
      description =
          "Start N journal entries before the end (default: ${DEFAULT-VALUE}); --client filters"
              + " those N, it does not look further back.")
  long lines;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new entries as they are appended.")
  boolean follow;

  @Option(
      names = "--client",
      paramLabel = "ID",
      description = "Only events of this MQTT client id (damaged entries are always printed).")
  String client;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    if (lines < 0) {
      throw new CommandLine.ParameterException(cl, "--lines must be 0 or more (was " + lines + ")");
    }
    try (JournalInspector journal = location.open(cl);
        JournalCursor cursor = journal.cursorAtLast(lines)) {
      EntryDump dump = new EntryDump(cl.getOut(), Long.MAX_VALUE, client, Long.MAX_VALUE);
      // Ends when interrupted (the thread's interrupt flag; Ctrl-C ends the JVM) or when the
      // output is closed, e.g. `tail --follow | head`.
      while (dump.drain(cursor) && follow && !Thread.currentThread().isInterrupted()) {
        LockSupport.parkNanos(this, POLL_NANOS);
      }
    }
    return 0;
  }
}
