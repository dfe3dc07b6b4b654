package io.edgegate.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The report of a committed full run, rebuilt from its {@code results.json}, is the committed
 * {@code REPORT.md} and {@code ratios.md} byte for byte: what {@code --replot} would write, without
 * the charts. A change to the report's text shows up here, and the committed run is the reference.
 */
class ReportGoldenTest {
  @TempDir Path work;

  @ParameterizedTest
  @ValueSource(strings = {"2026-12-06-2320-vm", "2026-12-04-2217-vm"})
  void aCommittedRunsReportIsRebuiltByteForByteFromItsResults(String run) throws Exception {
    Path dir = Path.of("results", run);
    Bench b = bench(dir);
    Path report = work.resolve("REPORT.md");

    Report.write(
        b,
        report,
        machine(dir),
        List.of(Charts.THROUGHPUT, Charts.LATENCY, Charts.MEMORY),
        "benchmarks/run");

    assertThat(Files.readString(report)).isEqualTo(Files.readString(dir.resolve("REPORT.md")));
    assertThat(Report.ratioTable(b)).isEqualTo(Files.readString(dir.resolve("ratios.md")));
  }

  /** The full plan and the two profiles of {@code benchmarks/run}, over the run's rows. */
  private Bench bench(Path dir) throws Exception {
    Bench b =
        new Bench(
            Plan.full(),
            false,
            false,
            work,
            work,
            Optional.empty(),
            Results.read(dir.resolve("results.json")));
    b.profiles =
        List.of(
            Profile.shippedDefault(),
            new Profile(
                Profile.RASPBERRY_PI, Optional.of(Path.of("config/raspberry-pi.yaml")), Map.of()));
    return b;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> machine(Path dir) throws Exception {
    Map<String, Object> json =
        new ObjectMapper().readValue(dir.resolve("results.json").toFile(), Map.class);
    return (Map<String, Object>) json.get("machine");
  }
}
