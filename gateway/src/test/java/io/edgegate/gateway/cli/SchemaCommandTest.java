package io.edgegate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code schema check OLD NEW}: a change that breaks raw compatibility but is covered by the
 * configured upcast (run over OLD's examples) is compatible through the upcast; an upcast that does
 * not produce a valid NEW, or one with no example to run over, leaves it incompatible.
 */
class SchemaCommandTest {
  @TempDir Path dir;

  private record Result(int exit, String out, String err) {}

  private static final String V1 =
      """
      {"$schema":"https://json-schema.org/draft/2020-12/schema",
       "type":"object","required":["temp"],
       "properties":{"v":{"type":"integer"},"temp":{"type":"number"}},
       "examples":[{"v":1,"temp":21.5},{"temp":-3}]}
      """;

  private static final String V2 =
      """
      {"$schema":"https://json-schema.org/draft/2020-12/schema",
       "type":"object","required":["temperature","unit"],
       "properties":{"temperature":{"type":"number"},"unit":{"enum":["C","F"]}}}
      """;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(dir.resolve("v1.json"), V1);
    Files.writeString(dir.resolve("v2.json"), V2);
  }

  private Path config(String upcast) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(
        file,
        """
        kafka: {bootstrapServers: 'k:9092'}
        pipeline:
          schemas:
            telemetry:
              current: 2
              versions:
                1: {file: '%s', upcast: %s}
                2: {file: '%s'}
        """
            .formatted(dir.resolve("v1.json"), upcast, dir.resolve("v2.json")));
    return file;
  }

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = EdgeGateCommand.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void aBreakingChangeCoveredByTheConfiguredUpcastIsCompatibleThroughIt() throws Exception {
    Path config = config("{rename: {temp: temperature}, defaults: {unit: C}, drop: [v]}");
    Result r =
        run(
            "schema",
            "check",
            dir.resolve("v1.json").toString(),
            dir.resolve("v2.json").toString(),
            "--config",
            config.toString());
    assertThat(r.out()).contains("compatible through upcast v1→v2");
    assertThat(r.out()).contains("2 examples");
    assertThat(r.exit()).isZero();
  }

  @Test
  void withoutTheConfigurationTheSameChangeIsIncompatible() {
    Result r =
        run(
            "schema",
            "check",
            dir.resolve("v1.json").toString(),
            dir.resolve("v2.json").toString());
    assertThat(r.out()).contains("INCOMPATIBLE").contains("is NOT backward compatible");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void anUpcastThatDoesNotProduceAValidNewVersionLeavesItIncompatible() throws Exception {
    Path config = config("{rename: {temp: temperature}}"); // no unit: v2 requires one
    Result r =
        run(
            "schema",
            "check",
            dir.resolve("v1.json").toString(),
            dir.resolve("v2.json").toString(),
            "-c",
            config.toString());
    assertThat(r.out()).contains("INCOMPATIBLE example 1 after upcast v1→v2").contains("unit");
    assertThat(r.out()).contains("is NOT backward compatible");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void anUpcastWithNoExampleToRunOverIsNotTakenOnTrust() throws Exception {
    Files.writeString(dir.resolve("v1.json"), V1.replaceAll(",\\s*\"examples\":\\[.*]", ""));
    Path config = config("{rename: {temp: temperature}, defaults: {unit: C}}");
    Result r =
        run(
            "schema",
            "check",
            dir.resolve("v1.json").toString(),
            dir.resolve("v2.json").toString(),
            "-c",
            config.toString());
    assertThat(r.out()).contains("no examples").contains("is NOT backward compatible");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void filesTheConfigurationDoesNotNameAreCheckedRaw() throws Exception {
    Path config = config("{rename: {temp: temperature}, defaults: {unit: C}}");
    Path copy = Files.copy(dir.resolve("v1.json"), dir.resolve("elsewhere.json"));
    Result r =
        run(
            "schema",
            "check",
            copy.toString(),
            dir.resolve("v2.json").toString(),
            "-c",
            config.toString());
    assertThat(r.out()).contains("no upcast").contains("is NOT backward compatible");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void anUnreadableFileIsExit2() {
    Result r = run("schema", "check", dir.resolve("missing.json").toString(), "x.json");
    assertThat(r.exit()).isEqualTo(2);
  }
}
