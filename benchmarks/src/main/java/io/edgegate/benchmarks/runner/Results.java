package io.edgegate.benchmarks.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every figure one run measured, in measurement order; written as CSV and JSON. Not thread-safe.
 */
final class Results {
  static final String MOSQUITTO = "mosquitto";
  static final String RAW = "raw-producer";
  static final String EDGEGATE = "edgegate";

  /**
   * One figure: which scenario, system and configuration, the load (QoS, clients), the metric, its
   * value and unit. {@code config} is "" for the references.
   */
  record Row(
      String scenario,
      String system,
      String config,
      int qos,
      int clients,
      String metric,
      double value,
      String unit) {}

  private final List<Row> rows = new ArrayList<>();

  /** Scenarios that could not run, with the reason (e.g. Mosquitto not installed). */
  final Map<String, String> notMeasured = new java.util.LinkedHashMap<>();

  void add(
      String scenario,
      String system,
      String config,
      int qos,
      int clients,
      String metric,
      double value,
      String unit) {
    rows.add(new Row(scenario, system, config, qos, clients, metric, value, unit));
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  Optional<Row> find(Predicate<Row> p) {
    return rows.stream().filter(p).findFirst();
  }

  /** The value of the first row matching, or NaN. */
  double value(String scenario, String system, String config, int qos, int clients, String metric) {
    return find(r ->
            r.scenario.equals(scenario)
                && r.system.equals(system)
                && r.config.equals(config)
                && r.qos == qos
                && r.clients == clients
                && r.metric.equals(metric))
        .map(Row::value)
        .orElse(Double.NaN);
  }

  /** The rows and notes of a finished run, from its {@code results.json}. */
  static Results read(Path json) throws IOException {
    var root = new ObjectMapper().readTree(json.toFile());
    Results r = new Results();
    for (var n : root.path("rows")) {
      r.add(
          n.path("scenario").asText(),
          n.path("system").asText(),
          n.path("config").asText(),
          n.path("qos").asInt(),
          n.path("clients").asInt(),
          n.path("metric").asText(),
          n.path("value").isNumber() ? n.path("value").asDouble() : Double.NaN,
          n.path("unit").asText());
    }
    root.path("notMeasured")
        .fields()
        .forEachRemaining(e -> r.notMeasured.put(e.getKey(), e.getValue().asText()));
    return r;
  }

  void write(Path dir, Map<String, Object> machine) throws IOException {
    StringBuilder csv = new StringBuilder("scenario,system,config,qos,clients,metric,value,unit\n");
    for (Row r : rows) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,\"%s\",%d,%d,%s,%s,%s%n",
              r.scenario,
              r.system,
              r.config,
              r.qos,
              r.clients,
              r.metric,
              Double.isNaN(r.value) ? "" : Double.toString(r.value),
              r.unit));
    }
    Files.writeString(dir.resolve("results.csv"), csv);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(
            dir.resolve("results.json").toFile(),
            Map.of("machine", machine, "notMeasured", notMeasured, "rows", rows));
  }
}
