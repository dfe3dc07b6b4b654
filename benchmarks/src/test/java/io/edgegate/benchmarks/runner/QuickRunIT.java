package io.edgegate.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code benchmarks/run --quick} end to end: real Kafka broker, Mosquitto (when installed), the
 * gateway and the simulator as child processes. It must finish, write the report with its ratio
 * table, the raw CSV/JSON and charts that decode as PNG images.
 */
class QuickRunIT {
  @TempDir Path out;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void quickRunWritesReportResultsAndCharts() throws Exception {
    // The script itself, as the README gives it (its Maven build skipped: the reactor built it).
    Path script = GatewayChild.launcher().getParent().getParent().resolve("benchmarks/run");
    Path log = out.resolveSibling(out.getFileName() + "-run.log");
    ProcessBuilder pb =
        new ProcessBuilder(script.toString(), "--quick", "--out", out.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("BENCH_SKIP_BUILD", "1");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    long t0 = System.nanoTime();
    Process run = pb.start();
    boolean ended = run.waitFor(9, TimeUnit.MINUTES);
    if (!ended) {
      run.destroyForcibly();
    }
    System.out.printf(
        "[measure] benchmarks/run --quick took %.1f s%n", (System.nanoTime() - t0) / 1e9);

    assertThat(ended).as("benchmarks/run --quick ended").isTrue();
    assertThat(run.exitValue()).as("exit code; output:%n%s", Files.readString(log)).isZero();
    String report = Files.readString(out.resolve("REPORT.md"));
    assertThat(report)
        .contains("## Targets", "÷ Mosquitto", "÷ raw", "QoS 1 end to end, sync batch")
        .contains(
            "CPU per forwarded event, QoS 1, sync batch, 10 clients",
            "forward stage alone",
            "QoS 0 end to end, sync batch, 10 clients",
            "10 clients × in-flight 20",
            "p99 publish → broker append",
            "heap per idle connection, default",
            "heap per idle connection, raspberry-pi",
            "## Warm-up and the first seconds after a start",
            "## CPU and allocation by stage",
            "edgegate-journal-writer")
        .doesNotContain("failed:");
    if (MosquittoChild.find().isEmpty()) {
      assertThat(report).contains("not measured: mosquitto not installed");
    } else {
      assertThat(report).doesNotContain("mosquitto not installed");
    }
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    assertThat(csv.get(0)).isEqualTo("scenario,system,config,qos,clients,metric,value,unit");
    assertThat(csv)
        .anySatisfy(l -> assertThat(l).startsWith("e2e,edgegate,\"sync batch\",1,10,throughput,"))
        .anySatisfy(l -> assertThat(l).startsWith("kafka,raw-producer,"))
        .anySatisfy(
            l -> assertThat(l).startsWith("outage,edgegate,\"sync batch\",1,10,drain-ratio,"))
        .anySatisfy(l -> assertThat(l).startsWith("latency,edgegate,\"sync batch\",1,100,p99,"))
        .anySatisfy(l -> assertThat(l).startsWith("warmup,edgegate,\"sync batch\",1,100,warm-"))
        .anySatisfy(
            l -> assertThat(l).startsWith("drain,edgegate,\"sync batch\",1,100,throughput,"))
        .anySatisfy(l -> assertThat(l).startsWith("coldstart,edgegate,"))
        .anySatisfy(l -> assertThat(l).startsWith("stages,edgegate,"));
    double throughput =
        Double.parseDouble(
            csv.stream()
                .filter(l -> l.startsWith("e2e,edgegate,\"sync batch\",1,10,throughput,"))
                .findFirst()
                .orElseThrow()
                .split(",")[6]);
    assertThat(throughput).as("events/s acknowledged by Kafka").isPositive();
    assertThat(out.resolve("results.json")).isNotEmptyFile();
    for (String chart : List.of(Charts.THROUGHPUT, Charts.LATENCY, Charts.MEMORY)) {
      BufferedImage image = ImageIO.read(out.resolve(chart).toFile());
      assertThat(image).as(chart + " decodes as an image").isNotNull();
      assertThat(image.getWidth()).as(chart).isGreaterThan(400);
      assertThat(report).contains("](" + chart + ")");
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void withoutMosquittoItsRowsAreMarkedNotMeasured() throws Exception {
    int exit =
        new CommandLine(new Runner())
            .execute(
                "--quick", "--only", "mosquitto", "--mosquitto", "none", "--out", out.toString());

    assertThat(exit).isZero();
    assertThat(Files.readString(out.resolve("REPORT.md")))
        .contains("not measured: mosquitto not installed", "| n/m |");
  }

  @Test
  void anUnknownScenarioIsRefused() {
    assertThat(new CommandLine(new Runner()).execute("--only", "nonsense", "--out", out.toString()))
        .isEqualTo(2);
  }
}
