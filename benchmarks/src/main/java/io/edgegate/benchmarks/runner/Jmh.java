package io.edgegate.benchmarks.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The JMH micro-benchmarks' results, when a results file exists ({@code benchmarks/run-micro -rf
 * json} writes {@code jmh-result.json}): time and bytes allocated per operation, into the run's
 * results (the runner does not run JMH itself: it would need the cores the other figures need).
 */
final class Jmh {
  static final String JMH = "jmh";

  private Jmh() {}

  /** The file given, else the first of the usual places that exists. */
  static Optional<Path> find(Path given) {
    if (given != null) {
      return Files.exists(given) ? Optional.of(given) : Optional.empty();
    }
    return List.of(
            Path.of("jmh-result.json"),
            Path.of("benchmarks/jmh-result.json"),
            Path.of("benchmarks/target/jmh-result.json"))
        .stream()
        .filter(Files::exists)
        .findFirst();
  }

  static void read(Bench b, Path given) throws IOException {
    Optional<Path> file = find(given);
    if (file.isEmpty()) {
      b.results.notMeasured.put(
          "allocation per event (JMH)",
          "not measured: no JMH results file (run `benchmarks/run-micro -prof gc -rf json` first)");
      return;
    }
    JsonNode root = new ObjectMapper().readTree(file.get().toFile());
    for (JsonNode n : root) {
      String name = n.path("benchmark").asText();
      name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      JsonNode params = n.path("params");
      if (params.isObject() && params.size() > 0) {
        name = name + " " + params;
      }
      JsonNode p = n.path("primaryMetric");
      b.results.add(
          JMH,
          "jmh",
          name,
          0,
          0,
          "score",
          p.path("score").asDouble(Double.NaN),
          p.path("scoreUnit").asText());
      JsonNode alloc = n.path("secondaryMetrics").path("·gc.alloc.rate.norm");
      if (alloc.isMissingNode()) {
        alloc = n.path("secondaryMetrics").path("gc.alloc.rate.norm");
      }
      b.results.add(
          JMH, "jmh", name, 0, 0, "alloc-per-op", alloc.path("score").asDouble(Double.NaN), "B/op");
    }
    b.results.notMeasured.remove("allocation per event (JMH)");
    b.log("JMH results read from %s", file.get());
  }
}
