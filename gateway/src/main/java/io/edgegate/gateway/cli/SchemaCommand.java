package io.edgegate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.ConfigException;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.pipeline.schema.SchemaCompatibility;
import io.edgegate.gateway.pipeline.schema.UpcastCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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
      description = {
        "Report whether NEW is backward compatible with OLD: a consumer of NEW can read every"
            + " event valid under OLD.",
        "With --config, a change that is not, between two versions of one schema there, is"
            + " compatible through upcast when the configured upcasts turn every example of OLD"
            + " (its `examples`) into a valid NEW, as the pipeline would; without examples"
            + " nothing is proven and the change stays incompatible.",
        "Exit 0 if it is compatible (directly or through upcast), 1 if not, 2 if a file cannot be"
            + " read."
      })
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD", description = "The schema in use today.")
    Path oldFile;

    @Parameters(index = "1", paramLabel = "NEW", description = "The schema to review.")
    Path newFile;

    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description =
            "The gateway's YAML configuration: its pipeline.schemas says which versions OLD and"
                + " NEW are and how events are upcast between them.")
    Path configFile;

    /** Where OLD and NEW are in the configuration, and the upcast steps between them. */
    private record Chain(String schema, int from, int to, List<PipelineConfig.Upcast> steps) {
      String label() {
        return "v" + from + "→v" + to;
      }
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ObjectMapper json = new ObjectMapper();
      JsonNode oldSchema = read(json, oldFile);
      JsonNode newSchema = read(json, newFile);
      SchemaCompatibility.Report r = SchemaCompatibility.check(oldSchema, newSchema);
      Chain chain = configFile == null ? null : chain(ConfigLoader.load(configFile));
      UpcastCheck.Report upcast =
          chain == null || r.compatible()
              ? null
              : UpcastCheck.check(oldSchema, newSchema, chain.steps(), chain.label(), json);
      boolean throughUpcast = upcast != null && upcast.covered();
      for (String p : r.problems()) {
        // covered ones are what the upcast repairs: listed, not counted against the change
        out.println((throughUpcast ? "upcast       " : "INCOMPATIBLE ") + p);
      }
      for (String n : r.notes()) {
        out.println("note         " + n);
      }
      if (configFile != null && chain == null && !r.compatible()) {
        out.println(
            "note         no upcast: "
                + configFile
                + " has no schema with both files as versions, the older one first");
      }
      if (upcast != null) {
        for (String p : upcast.problems()) {
          out.println("INCOMPATIBLE " + p);
        }
        for (String n : upcast.notes()) {
          out.println("note         " + n);
        }
        if (upcast.examples() == 0) {
          out.println(
              "note         no examples of OLD to run the upcast "
                  + chain.label()
                  + " over: add valid events to OLD's `examples` to prove it");
        }
      }
      int problems = r.problems().size() + (upcast == null ? 0 : upcast.problems().size());
      if (r.compatible()) {
        out.println(newFile + " is backward compatible with " + oldFile);
      } else if (throughUpcast) {
        out.println(
            newFile
                + " is compatible through upcast "
                + chain.label()
                + " of "
                + chain.schema()
                + " with "
                + oldFile
                + " ("
                + upcast.examples()
                + " examples upcast and valid; "
                + r.problems().size()
                + " raw problems covered)");
      } else {
        out.println(
            newFile
                + " is NOT backward compatible with "
                + oldFile
                + " ("
                + problems
                + " problems)");
      }
      out.flush();
      return r.compatible() || throughUpcast ? 0 : 1;
    }

    /** The schema of {@code config} whose versions include OLD and a later NEW; null if none. */
    private Chain chain(GatewayConfig config) {
      for (Map.Entry<String, PipelineConfig.SchemaSet> s : config.pipeline.schemas.entrySet()) {
        Integer from = null;
        Integer to = null;
        for (Map.Entry<Integer, PipelineConfig.SchemaVersion> v :
            s.getValue().versions.entrySet()) {
          if (same(v.getValue().file, oldFile)) {
            from = v.getKey();
          }
          if (same(v.getValue().file, newFile)) {
            to = v.getKey();
          }
        }
        if (from != null && to != null && from < to) {
          List<PipelineConfig.Upcast> steps = new ArrayList<>();
          for (int v = from; v < to; v++) {
            PipelineConfig.SchemaVersion version = s.getValue().versions.get(v);
            steps.add(version == null ? null : version.upcast);
          }
          return new Chain(s.getKey(), from, to, steps);
        }
      }
      return null;
    }

    private static boolean same(Path configured, Path given) {
      if (configured == null) {
        return false;
      }
      try {
        return Files.isSameFile(configured, given);
      } catch (IOException e) {
        return configured.toAbsolutePath().normalize().equals(given.toAbsolutePath().normalize());
      }
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
