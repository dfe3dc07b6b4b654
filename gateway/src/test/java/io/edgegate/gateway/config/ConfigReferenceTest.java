package io.edgegate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} is what {@link ConfigReference} writes from the {@link KeyDoc}s: a
 * key added, renamed or given a new default changes the page in the same commit.
 */
class ConfigReferenceTest {
  /** The page, found from the gateway module (the directory Maven runs the tests in). */
  static final Path PAGE = Path.of("..", "docs", "configuration.md");

  private static final String REGENERATE =
      "Regenerate it: mvn -B -o -q test -pl gateway -Dtest=ConfigReferenceTest"
          + " -Dconfig.reference.write=true (or bin/edgegate config reference >"
          + " docs/configuration.md)";

  @Test
  void everyKeyIsDocumented() {
    assertThat(ConfigReference.undocumented())
        .as("keys without @KeyDoc (add one on the field that binds the key)")
        .isEmpty();
  }

  @Test
  void everyKeyOfTheKeyTableIsOnThePage() {
    String page = ConfigReference.markdown();
    for (ConfigKeys.Key k : ConfigKeys.all()) {
      if (k.kind() != ConfigKeys.Kind.SECTION) {
        assertThat(page).contains("| `" + k.path() + "` |").contains("`" + k.envName() + "`");
      }
    }
  }

  @Test
  void thePageInTheRepositoryIsUpToDate() throws IOException {
    String expected = ConfigReference.markdown();
    if (Boolean.getBoolean("config.reference.write")) {
      Files.writeString(PAGE, expected, StandardCharsets.UTF_8);
    }
    assertThat(PAGE).as(PAGE.toAbsolutePath().normalize() + " exists. " + REGENERATE).exists();
    List<String> want = expected.lines().toList();
    List<String> have = Files.readString(PAGE, StandardCharsets.UTF_8).lines().toList();
    for (int i = 0; i < Math.max(want.size(), have.size()); i++) {
      String w = i < want.size() ? want.get(i) : "<end of page>";
      String h = i < have.size() ? have.get(i) : "<end of page>";
      if (!w.equals(h)) {
        fail(
            "docs/configuration.md differs from the config classes at line %d:%n"
                + "  expected: %s%n  found:    %s%n%s",
            i + 1, w, h, REGENERATE);
      }
    }
  }
}
