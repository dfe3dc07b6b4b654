package io.edgegate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.ConfigException;
import io.edgegate.gateway.pipeline.schema.SchemaCompatibility;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code edgegate schema check OLD NEW}: is a new schema version safe to ship? */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Work with the JSON Schemas of event types.",
    subcommands = SchemaCommand.Check.class)
final class SchemaCommand {

  @Command(
      name = "check",
      description =
          "Report whether NEW is backward compatible with OLD: a consumer of NEW can read every"
              + " event valid under OLD. Exit 0 if it is, 1 if not, 2 if a file cannot be read.")
  static final class Check implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OLD", description = "The schema in use today.")
    Path oldFile;

    @Parameters(index = "1", paramLabel = "NEW", description = "The schema to review.")
    Path newFile;

    @Override
    public Integer call() {
      ObjectMapper json = new ObjectMapper();
      SchemaCompatibility.Report r =
          SchemaCompatibility.check(read(json, oldFile), read(json, newFile));
      for (String p : r.problems()) {
        System.out.println("INCOMPATIBLE " + p);
      }
      for (String n : r.notes()) {
        System.out.println("note         " + n);
      }
      System.out.println(
          r.compatible()
              ? newFile + " is backward compatible with " + oldFile
              : newFile
                  + " is NOT backward compatible with "
                  + oldFile
                  + " ("
                  + r.problems().size()
                  + " problems)");
      return r.compatible() ? 0 : 1;
    }

    private static JsonNode read(ObjectMapper json, Path file) {
      try {
        return json.readTree(file.toFile());
      } catch (IOException e) {
        throw new ConfigException(
            file.toString(), List.of("cannot be read as JSON: " + e.getMessage()));
      }
    }
  }
}
