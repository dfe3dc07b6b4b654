package io.edgegate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code edgegate config print} and {@code edgegate config env}. */
class ConfigPrintCommandTest {
  @TempDir Path dir;

  private record Result(int exit, String out, String err) {}

  private Result run(String... args) {
    CommandLine cl = EdgeGateCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return new Result(cl.execute(args), out.toString(), err.toString());
  }

  @Test
  void printShowsTheEffectiveConfigWithDefaultsAndMaskedSecrets() throws Exception {
    Path file = dir.resolve("site.yaml");
    Files.writeString(
        file,
        "kafka:\n  bootstrapServers: k:9092\n  producer:\n"
            + "    sasl.jaas.config: 'ScramLoginModule required password=\"hunter2\";'\n");
    Result r = run("config", "print", file.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .startsWith("# Effective configuration of " + file)
        .contains("bootstrapServers: k:9092")
        .contains("syncInterval: 10ms") // a default, filled in
        .contains("sasl.jaas.config: '******'")
        .doesNotContain("hunter2");
  }

  @Test
  void printOfAnInvalidConfigExitsWith2() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "journal: {sync: sometimes}\n");
    Result r = run("config", "print", file.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("journal.sync");
  }

  @Test
  void envListsEveryKeyWithItsVariable() {
    Result r = run("config", "env");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("kafka.bootstrapServers")
        .contains("EDGEGATE_KAFKA_BOOTSTRAP_SERVERS")
        .contains("EDGEGATE_KAFKA_PRODUCER__<KEY>")
        .contains("EDGEGATE_ADMIN_PORT");
  }
}
