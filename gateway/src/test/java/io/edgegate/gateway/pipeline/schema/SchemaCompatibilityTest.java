package io.edgegate.gateway.pipeline.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SchemaCompatibilityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode schema(String json) throws Exception {
    return JSON.readTree(json);
  }

  private final String v1 =
      """
      {"type":"object","required":["temp"],
       "properties":{"temp":{"type":"integer"},"unit":{"type":"string","enum":["C","F"]}}}
      """;

  @Test
  void addingAnOptionalFieldAndWideningAreCompatible() throws Exception {
    var r =
        SchemaCompatibility.check(
            schema(v1),
            schema(
                """
                {"type":"object","required":["temp"],
                 "properties":{"temp":{"type":"number"},"unit":{"type":"string","enum":["C","F","K"]},
                               "humidity":{"type":"number"}}}
                """));
    assertThat(r.compatible()).as(r.problems().toString()).isTrue();
  }

  @Test
  void newRequiredFieldsNarrowedTypesAndEnumsAreNot() throws Exception {
    var r =
        SchemaCompatibility.check(
            schema(v1),
            schema(
                """
                {"type":"object","required":["temp","site"],"additionalProperties":false,
                 "properties":{"temp":{"type":"string"},"unit":{"type":"string","enum":["C"]},
                               "site":{"type":"string"}}}
                """));
    assertThat(r.compatible()).isFalse();
    assertThat(r.problems())
        .anyMatch(p -> p.startsWith("$.site: required by NEW"))
        .anyMatch(p -> p.startsWith("$.temp: type integer in OLD is not accepted"))
        .anyMatch(p -> p.contains("value \"F\" allowed by OLD is not in NEW's enum"));
  }

  @Test
  void tighterBoundsAreReported() throws Exception {
    var r =
        SchemaCompatibility.check(
            schema("{\"type\":\"number\",\"minimum\":-40,\"maximum\":125}"),
            schema("{\"type\":\"number\",\"minimum\":-20,\"maximum\":125}"));
    assertThat(r.problems()).containsExactly("$: minimum tightened from -40 to -20");
  }
}
