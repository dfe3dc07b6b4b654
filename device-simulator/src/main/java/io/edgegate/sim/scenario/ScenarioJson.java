package io.edgegate.sim.scenario;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A scenario as a JSON tree in the scenario file's own notation (durations as {@code 10s}, rates as
 * numbers or {@code max}), with passwords masked: for the run record.
 */
public final class ScenarioJson {
  private static final String MASK = "***";
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(
              new SimpleModule()
                  .addSerializer(Duration.class, new DurationSerializer())
                  .addSerializer(Path.class, new PathSerializer())
                  .addSerializer(Double.class, new RateSerializer()))
          .build();

  private ScenarioJson() {}

  public static ObjectNode masked(Scenario scenario) {
    ObjectNode tree = JSON.valueToTree(scenario);
    ObjectNode mqtt = (ObjectNode) tree.get("mqtt");
    mask(mqtt, "password");
    ObjectNode tls = (ObjectNode) mqtt.get("tls");
    mask(tls, "trustStorePassword");
    mask(tls, "keyStorePassword");
    return tree;
  }

  private static void mask(ObjectNode node, String field) {
    if (node.hasNonNull(field)) {
      node.put(field, MASK);
    }
  }

  private static final class DurationSerializer extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
      g.writeString(Values.format(d));
    }
  }

  private static final class PathSerializer extends JsonSerializer<Path> {
    @Override
    public void serialize(Path path, JsonGenerator g, SerializerProvider p) throws IOException {
      g.writeString(path.toString());
    }
  }

  private static final class RateSerializer extends JsonSerializer<Double> {
    @Override
    public void serialize(Double d, JsonGenerator g, SerializerProvider p) throws IOException {
      if (d.isInfinite()) {
        g.writeString("max");
      } else {
        g.writeNumber(d);
      }
    }
  }
}
