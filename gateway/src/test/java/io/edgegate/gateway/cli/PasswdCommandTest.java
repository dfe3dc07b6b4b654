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
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import org.junit.jupiter.api.Assumptions;
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

  @Test
  void anExistingFileKeepsItsOwnerGroupAndMode() throws Exception {
    Path file = dir.resolve("passwd");
    assertThat(run("first\n", "--cost", "4", file.toString(), "dev-1")).isZero();
    UserPrincipalLookupService names = file.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "giving a file away needs root");
    // root:edgegate 0640 in an install; here any other user and group will do
    UserPrincipal owner = names.lookupPrincipalByName("daemon");
    GroupPrincipal group = names.lookupPrincipalByGroupName("daemon");
    view.setOwner(owner);
    view.setGroup(group);
    view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));

    assertThat(run("second\n", "--cost", "4", file.toString(), "dev-1")).isZero();
    assertThat(run("third\n", "--cost", "4", file.toString(), "dev-2")).isZero();
    assertThat(run("", "--delete", file.toString(), "dev-2")).isZero();

    PosixFileAttributes after = Files.readAttributes(file, PosixFileAttributes.class);
    assertThat(after.owner()).isEqualTo(owner);
    assertThat(after.group()).isEqualTo(group);
    assertThat(PosixFilePermissions.toString(after.permissions())).isEqualTo("rw-r-----");
    assertThat(Credentials.load(file).verify("dev-1", "second".getBytes(StandardCharsets.UTF_8)))
        .isTrue();
    try (var left = Files.list(dir)) {
      assertThat(left).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void aNewFileGetsMode0640AndTheGroupOfItsDirectory() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("etc-edgegate"));
    PosixFileAttributeView dirView = Files.getFileAttributeView(etc, PosixFileAttributeView.class);
    GroupPrincipal group = dirView.readAttributes().group();
    if ("root".equals(System.getProperty("user.name"))) {
      group =
          etc.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("daemon");
      dirView.setGroup(group);
    }
    Path file = etc.resolve("passwd");
    assertThat(run("pw\n", "--cost", "4", file.toString(), "dev-1")).isZero();
    PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
    assertThat(a.group()).isEqualTo(group);
    assertThat(PosixFilePermissions.toString(a.permissions())).isEqualTo("rw-r-----");
  }
}
