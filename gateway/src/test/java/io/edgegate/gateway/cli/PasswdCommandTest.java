package io.edgegate.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.ingest.auth.Credentials;
import io.edgegate.gateway.ingest.auth.PasswordFile;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PasswdCommandTest {
  @TempDir Path dir;

  private int run(String stdin, String... args) {
    PasswdCommand cmd = new PasswdCommand();
    cmd.in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    cmd.console = null;
    CommandLine cl = new CommandLine(cmd);
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(new StringWriter()));
    return cl.execute(args);
  }

  @Test
  void addsChangesAndRemovesUsersReadingThePasswordFromStandardInput() throws Exception {
    Path file = dir.resolve("passwd");
    assertThat(run("first\n", "--cost", "4", file.toString(), "dev-1")).isZero();
    assertThat(run("other\n", "--cost", "4", file.toString(), "dev-2")).isZero();
    assertThat(run("second\n", "--cost", "4", file.toString(), "dev-1")).isZero();
    assertThat(Files.readString(file)).doesNotContain("first").doesNotContain("second");
    Credentials c = Credentials.load(file);
    assertThat(c.verify("dev-1", "second".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(c.verify("dev-1", "first".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(c.verify("dev-2", "other".getBytes(StandardCharsets.UTF_8))).isTrue();

    assertThat(run("", "--delete", file.toString(), "dev-2")).isZero();
    assertThat(PasswordFile.read(file).users()).containsExactly("dev-1");
    assertThat(run("", "--delete", file.toString(), "dev-2")).isEqualTo(1);
  }

  @Test
  void refusesEmptyOrTooLongPasswordsAndBadNames() {
    Path file = dir.resolve("passwd");
    assertThat(run("\n", file.toString(), "dev-1")).isEqualTo(2);
    assertThat(run("x".repeat(80) + "\n", file.toString(), "dev-1")).isEqualTo(2);
    assertThat(run("pw\n", "--cost", "3", file.toString(), "dev-1")).isEqualTo(2);
    assertThat(run("pw\n", "--cost", "4", file.toString(), "a:b")).isNotZero();
    assertThat(Files.exists(file)).isFalse();
  }
}
