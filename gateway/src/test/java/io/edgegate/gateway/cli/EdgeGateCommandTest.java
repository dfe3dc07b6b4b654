package io.edgegate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EdgeGateCommandTest {
  @TempDir Path dir;

  private record Result(int exit, String err) {}

  private Result run(String... args) {
    CommandLine cl = EdgeGateCommand.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    return new Result(cl.execute(args), err.toString());
  }

  @Test
  void runWithABadConfigExitsWith2AndNamesTheKey() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "kafka:\n  bootstrapServers: k:9092\njournal:\n  sync: sometimes\n");
    Result r = run("run", "--config", bad.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("invalid configuration").contains("journal.sync");
  }

  @Test
  void runWithAMissingConfigExitsWith2() {
    Result r = run("run", "--config", dir.resolve("nope.yaml").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("file not found");
  }

  @Test
  void configCheckValidatesWithoutStarting() throws Exception {
    Path good = dir.resolve("good.yaml");
    Files.writeString(
        good,
        "kafka:\n  bootstrapServers: k:9092\nmqtt:\n  host: 127.0.0.1\n  auth:\n    anonymous: true\n"
            + "gateway:\n  dataDir: "
            + dir.resolve("data")
            + "\n");
    assertThat(run("config", "check", good.toString()).exit()).isZero();
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "mqtt:\n  prot: 1883\n");
    Result r = run("config", "check", bad.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("mqtt.prot: unknown key");
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(run("run", "--confg", "x").exit()).isEqualTo(2);
  }
}
