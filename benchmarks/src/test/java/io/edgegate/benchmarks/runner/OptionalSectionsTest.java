package io.edgegate.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The neighbour and console sections: nothing without their rows, their ratios with them. */
class OptionalSectionsTest {
  @TempDir Path work;

  private Bench bench() throws Exception {
    return new Bench(Plan.full(), false, false, work, work, Optional.empty(), new Results());
  }

  private static String text(Bench b) {
    Markdown md = new Markdown();
    NeighbourSection.write(b, md);
    ConsoleSection.write(b, md);
    return md.text();
  }

  @Test
  void aRunWithoutThemPrintsNothing() throws Exception {
    assertThat(text(bench())).isEmpty();
  }

  @Test
  void theNeighbourSectionDividesEachFloodsP99ByItsGatewaysAlone() throws Exception {
    Bench b = bench();
    String n = Neighbour.NEIGHBOUR;
    String eg = Results.EDGEGATE;
    b.results.add(
        n, eg, Neighbour.config(Neighbour.LIMITED, Neighbour.ALONE), 1, 5, "ack-p99", 10, "ms");
    b.results.add(
        n, eg, Neighbour.config(Neighbour.LIMITED, Neighbour.BESIDE), 1, 5, "ack-p99", 15, "ms");
    b.results.add(
        n,
        eg,
        Neighbour.config(Neighbour.LIMITED, Neighbour.BESIDE),
        1,
        1,
        "flood-acknowledged-rate",
        210,
        "events/s");
    b.results.add(
        n, eg, Neighbour.config(Neighbour.UNLIMITED, Neighbour.ALONE), 1, 5, "ack-p99", 20, "ms");
    b.results.add(
        n, eg, Neighbour.config(Neighbour.UNLIMITED, Neighbour.BESIDE), 1, 5, "ack-p99", 80, "ms");

    String text = text(b);

    assertThat(text)
        .contains("## Neighbours of a flooding device")
        .contains("| publishRate 200 | beside the flood | n/m | 15.0 | n/m | 1.50× | n/m | 210 |")
        .contains("p99(throttled flood) ÷ p99(alone) = **1.50×**")
        .contains("p99(unthrottled flood) ÷ p99(alone) = **4.00×**")
        .doesNotContain("Web console");
  }

  @Test
  void theConsoleSectionGivesOpenOverClosedOrWhyItWasNotMeasured() throws Exception {
    Bench b = bench();
    b.results.notMeasured.put(Console.CONSOLE, Console.NO_ENDPOINTS);
    assertThat(text(b)).contains("## Web console open").contains(Console.NO_ENDPOINTS);

    Bench m = bench();
    String c = Console.CONSOLE;
    String eg = Results.EDGEGATE;
    String closed = Console.config(Profile.RASPBERRY_PI, false);
    String open = Console.config(Profile.RASPBERRY_PI, true);
    m.results.add(c, eg, closed, 1, 10, "throughput", 40_000, "events/s");
    m.results.add(c, eg, closed, 1, 10, "cpu-per-million", 20, "s");
    m.results.add(c, eg, open, 1, 10, "throughput", 38_000, "events/s");
    m.results.add(c, eg, open, 1, 10, "cpu-per-million", 21, "s");

    assertThat(text(m))
        .contains("(raspberry-pi profile)")
        .contains("| open ÷ closed | 0.95× | 1.05× |")
        .doesNotContain("Neighbours");
  }
}
