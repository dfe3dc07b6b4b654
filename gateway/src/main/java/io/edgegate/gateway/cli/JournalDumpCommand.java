package io.edgegate.gateway.cli;

import io.edgegate.gateway.journal.JournalCursor;
import io.edgegate.gateway.journal.JournalInspector;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgegate journal dump}: journal entries as JSON lines. */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Print journal entries as JSON lines (one object per entry), oldest first.",
      "Damaged entries print as {\"index\":…,\"damaged\":true,\"problem\":…} and the dump goes on."
    })
final class JournalDumpCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  JournalLocation location;

  @Option(
      names = "--from",
      paramLabel = "INDEX",
      converter = JournalIndexes.class,
      description = "First index to print (0x… hex or decimal); default: the oldest entry.")
  Long from;

  @Option(
      names = "--to",
      paramLabel = "INDEX",
      converter = JournalIndexes.class,
      description = "Last index to print, inclusive; default: the newest entry when dump starts.")
  Long to;

  @Option(names = "--limit", paramLabel = "N", description = "Print at most N entries.")
  Long limit;

  @Option(
      names = "--client",
      paramLabel = "ID",
      description = "Only events of this MQTT client id (damaged entries are always printed).")
  String client;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    if (from != null && to != null && from > to) {
      throw new CommandLine.ParameterException(
          cl,
          "--from "
              + JournalIndexes.hex(from)
              + " is after --to "
              + JournalIndexes.hex(to)
              + ": nothing to print");
    }
    if (limit != null && limit < 1) {
      throw new CommandLine.ParameterException(cl, "--limit must be 1 or more (was " + limit + ")");
    }
    try (JournalInspector journal = location.open(cl)) {
      // Without --to, up to the newest entry now: a dump of a live journal ends.
      long last = to != null ? to : journal.lastIndex();
      try (JournalCursor cursor = from == null ? journal.cursorAtStart() : journal.cursorAt(from)) {
        new EntryDump(cl.getOut(), last, client, limit == null ? Long.MAX_VALUE : limit)
            .drain(cursor);
      }
    }
    return 0;
  }
}
