package io.edgegate.gateway;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's packages follow the data flow: no circles, and no arrow (a class of one top-level
 * package using a class of another) other than those in {@link #ALLOWED}. A new arrow fails here
 * with the classes that make it; add it to {@link #ALLOWED} only if it points along the flow, else
 * move the type to where the flow says it belongs, or give the upstream side a narrow interface.
 *
 * <p>Read from the compiled classes: a {@code static final} constant is inlined by javac and leaves
 * no trace, so a constant shared across packages belongs in a package both may use ({@code mqtt},
 * {@code config}).
 */
class PackageArrowsTest {
  private static final String ROOT = "io.edgegate.gateway";

  /** The root package itself: {@link Gateway}, which assembles the stages. */
  private static final String TOP = "(root)";

  /**
   * Which top-level package may use which. The flow is ingest -> journal -> pipeline -> forward;
   * session holds what ingest and command share (downlink); config, thread and mqtt are used by all
   * and use nothing; observe implements the stages' stats interfaces and runs traces for the
   * console; the root assembles everything; cli runs it. The list has no circle itself (checked
   * below).
   */
  static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          entry("config", Set.of()),
          entry("thread", Set.of()),
          entry("mqtt", Set.of()),
          entry("journal", Set.of("config", "thread")),
          entry("session", Set.of("config", "thread", "mqtt")),
          entry("ingest", Set.of("config", "thread", "mqtt", "journal", "session")),
          entry("pipeline", Set.of("config", "thread", "mqtt", "journal", "forward")),
          entry("forward", Set.of("config", "thread", "journal")),
          entry("command", Set.of("config", "thread", "mqtt", "session", "forward")),
          entry(
              "observe",
              Set.of("config", "thread", "ingest", "journal", "pipeline", "forward", "trace")),
          entry(
              TOP,
              Set.of(
                  "config",
                  "thread",
                  "journal",
                  "session",
                  "ingest",
                  "pipeline",
                  "forward",
                  "command",
                  "observe")),
          entry("trace", Set.of("config", "thread", "journal", "pipeline", "forward")),
          entry("deadletter", Set.of("config", "thread", "journal", "pipeline", "forward")),
          entry(
              "cli",
              Set.of(
                  TOP,
                  "config",
                  "thread",
                  "journal",
                  "ingest",
                  "pipeline",
                  "forward",
                  "trace",
                  "deadletter")));

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  @Test
  void topLevelPackagesHaveNoCircles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void noPackageAtAnyDepthIsInACircle() {
    // ingest and its subpackages too: ingest.stats, ingest.auth, ingest.limits are leaves of it.
    slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void everyArrowIsInTheAllowedList() {
    Map<String, List<String>> newArrows = new TreeMap<>();
    Set<String> unlisted = new TreeSet<>();
    for (JavaClass c : classes) {
      String from = topLevel(c);
      if (!ALLOWED.containsKey(from)) {
        unlisted.add(from);
        continue;
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass();
        if (!target.getPackageName().startsWith(ROOT) || target.isArray()) {
          continue;
        }
        String to = topLevel(target);
        if (!to.equals(from) && !ALLOWED.get(from).contains(to)) {
          List<String> where =
              newArrows.computeIfAbsent(from + " -> " + to, k -> new ArrayList<>());
          if (where.size() < 5) {
            where.add(d.getDescription());
          }
        }
      }
    }
    assertThat(unlisted)
        .as(
            "top-level packages missing from PackageArrowsTest.ALLOWED"
                + " (gateway/src/test/java/io/edgegate/gateway/PackageArrowsTest.java):"
                + " add each with the packages it may use")
        .isEmpty();
    StringBuilder message = new StringBuilder();
    newArrows.forEach(
        (arrow, where) -> {
          message.append("\nnew arrow ").append(arrow).append(", from:");
          where.forEach(w -> message.append("\n    ").append(w));
        });
    assertThat(newArrows)
        .as(
            "package arrows not in PackageArrowsTest.ALLOWED"
                + " (gateway/src/test/java/io/edgegate/gateway/PackageArrowsTest.java);"
                + " add one there only if it points along the data flow"
                + " (docs/architecture.md), else move the type or give the upstream side a narrow"
                + " interface:"
                + message)
        .isEmpty();
  }

  @Test
  void theAllowedListHasNoCircle() {
    for (String start : ALLOWED.keySet()) {
      Set<String> reached = new HashSet<>();
      List<String> todo = new ArrayList<>(ALLOWED.get(start));
      while (!todo.isEmpty()) {
        String p = todo.remove(todo.size() - 1);
        assertThat(p).as("ALLOWED lets %s reach itself", start).isNotEqualTo(start);
        assertThat(ALLOWED).as("ALLOWED names %s, which it does not list", p).containsKey(p);
        if (reached.add(p)) {
          todo.addAll(ALLOWED.get(p));
        }
      }
    }
  }

  /** {@code ingest} for {@code io.edgegate.gateway.ingest.auth.Authenticator}. */
  private static String topLevel(JavaClass c) {
    String pkg = c.getPackageName();
    if (pkg.equals(ROOT)) {
      return TOP;
    }
    String rest = pkg.substring(ROOT.length() + 1);
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
