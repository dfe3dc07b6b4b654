package io.edgegate.gateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative Markdown link in README.md and docs/*.md names a file that exists, and an anchor
 * into a Markdown file names one of its headings (as GitHub makes anchors of them). Found from the
 * gateway module, the directory Maven runs its tests in.
 */
class DocLinksTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  // [text](target) and ![alt](target); the target ends at whitespace (a title) or ')'.
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)[^)]*\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

  @Test
  void everyRelativeLinkInTheDocumentationResolves() throws IOException {
    List<Path> pages = pages();
    assertThat(pages).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/configuration.md"));
    List<String> broken = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    int checked = 0;
    for (Path page : pages) {
      for (Link link : links(page)) {
        String target = link.target();
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
          continue; // https:, mailto:: not ours to check
        }
        checked++;
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        String where = ROOT.relativize(page) + ":" + link.line() + ": " + target;
        if (!Files.exists(resolved)) {
          broken.add(where + " (no such file " + ROOT.relativize(resolved) + ")");
        } else if (anchor != null && resolved.toString().endsWith(".md")) {
          Set<String> known = anchors.computeIfAbsent(resolved, DocLinksTest::anchorsOf);
          if (!known.contains(anchor)) {
            broken.add(where + " (no heading with anchor #" + anchor + ")");
          }
        }
      }
    }
    assertThat(checked).as("relative links found").isGreaterThan(20);
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void anchorsAreMadeAsGitHubMakesThem() {
    assertThat(slug("Rotating the listener's certificates without a restart"))
        .isEqualTo("rotating-the-listeners-certificates-without-a-restart");
    assertThat(slug("Kafka over SASL_SSL with SCRAM-SHA-512"))
        .isEqualTo("kafka-over-sasl_ssl-with-scram-sha-512");
    assertThat(slug("`mqtt.acl.rules[]`")).isEqualTo("mqttaclrules");
    assertThat(slug("Looking into the journal: `edgegate journal`"))
        .isEqualTo("looking-into-the-journal-edgegate-journal");
  }

  private static List<Path> pages() throws IOException {
    List<Path> out = new ArrayList<>();
    out.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
    }
    return out;
  }

  record Link(int line, String target) {}

  /**
   * The links of {@code page}, outside fenced code blocks and inline code; a link's text may run
   * over a line break.
   */
  static List<Link> links(Path page) {
    StringBuilder text = new StringBuilder();
    boolean fenced = false;
    for (String line : read(page)) {
      boolean fence = line.strip().startsWith("```");
      fenced ^= fence;
      // the same number of lines, so that an offset still gives the line
      text.append(fence || fenced ? "" : line.replaceAll("`[^`]*`", "``")).append('\n');
    }
    List<Link> out = new ArrayList<>();
    Matcher m = LINK.matcher(text);
    while (m.find()) {
      int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
      out.add(new Link(line, m.group(1)));
    }
    return out;
  }

  /** The anchors of the headings of {@code page}; a repeated heading gets -1, -2, … */
  static Set<String> anchorsOf(Path page) {
    Set<String> out = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    for (String line : read(page)) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      Matcher m = HEADING.matcher(line);
      if (!fenced && m.matches()) {
        String slug = slug(m.group(1));
        int count = seen.merge(slug, 1, Integer::sum);
        out.add(count == 1 ? slug : slug + "-" + (count - 1));
      }
    }
    return out;
  }

  /** GitHub's anchor: lower case, punctuation dropped (not '-' and '_'), spaces as '-'. */
  static String slug(String heading) {
    String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1"); // a link's text
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }

  private static List<String> read(Path page) {
    try {
      return Files.readAllLines(page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + page, e);
    }
  }
}
