package io.edgegate.gateway.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {
  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writtenEntriesAreSaltedBcryptAndVerify() throws Exception {
    Path file = dir.resolve("passwd");
    PasswordFile.empty()
        .with("dev-1", "s3cret".toCharArray(), 4)
        .with("dev-2", "s3cret".toCharArray(), 4)
        .write(file);
    String text = Files.readString(file);
    assertThat(text).doesNotContain("s3cret").contains("dev-1:$2y$04$").contains("dev-2:$2y$04$");
    String[] lines = text.split("\n");
    assertThat(lines[0].substring(6))
        .as("salted: same password, other hash")
        .isNotEqualTo(lines[1].substring(6));
    // a new file: readable by the directory's group (the service's), nobody else
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));

    Credentials c = Credentials.load(file);
    assertThat(c.verify("dev-1", utf8("s3cret"))).isTrue();
    assertThat(c.verify("dev-1", utf8("S3cret"))).isFalse();
    assertThat(c.verify("nobody", utf8("s3cret"))).isFalse();
    assertThat(c.verify("dev-1", null)).isFalse();
    assertThat(c.verify("dev-1", new byte[200])).as("longer than bcrypt takes").isFalse();
  }

  @Test
  void htpasswdBcryptLinesAndCommentsAreRead() {
    // htpasswd -nbB -C 4 sensor-9 pw  (a $2y$ hash, as Apache writes it)
    String hash =
        at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(4, "pw".toCharArray());
    PasswordFile f = PasswordFile.parse("t", "# devices\n\nsensor-9:" + hash + "\n");
    assertThat(f.users()).containsExactly("sensor-9");
    assertThat(Credentials.of(f).verify("sensor-9", utf8("pw"))).isTrue();
  }

  @Test
  void badLinesAreRefusedByNumberWithoutQuotingSecrets() {
    assertThatThrownBy(() -> PasswordFile.parse("f", "dev-1:plaintext-password\n"))
        .isInstanceOf(PasswordFile.BadPasswordFile.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining("not bcrypt")
        .hasMessageNotContaining("plaintext-password");
    assertThatThrownBy(() -> PasswordFile.parse("f", "\nno colon here\n"))
        .hasMessageContaining("line 2")
        .hasMessageNotContaining("no colon");
    assertThatThrownBy(() -> PasswordFile.parse("f", "dev-1:$1$abc$0123456789012345678901\n"))
        .hasMessageContaining("not bcrypt");
  }

  @Test
  void aChangedFileIsReloadedAndABadEditKeepsThePreviousEntries() throws Exception {
    Path file = dir.resolve("passwd");
    PasswordFile.empty().with("a", "pa".toCharArray(), 4).write(file);
    Credentials c = Credentials.load(file);
    assertThat(c.reloadIfChanged()).isFalse();

    PasswordFile.read(file).with("b", "pb".toCharArray(), 4).write(file);
    assertThat(c.reloadIfChanged()).isTrue();
    assertThat(c.verify("b", utf8("pb"))).isTrue();

    Files.writeString(file, "a:oops\n");
    assertThat(c.reloadIfChanged()).isFalse();
    assertThat(c.verify("a", utf8("pa"))).as("previous entries kept").isTrue();

    PasswordFile.empty().with("c", "pc".toCharArray(), 4).write(file);
    assertThat(c.reloadIfChanged()).isTrue();
    assertThat(c.verify("a", utf8("pa"))).as("removed user").isFalse();
    assertThat(c.users()).isEqualTo(1);
  }
}
