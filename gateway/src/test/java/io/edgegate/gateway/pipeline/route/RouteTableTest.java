package io.edgegate.gateway.pipeline.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private final RouteTable<String> table =
      new RouteTable<String>()
          .add("devices/{deviceId}/telemetry", "telemetry")
          .add("devices/{deviceId}/{kind}", "by-kind")
          .add("devices/special/alarm", "special-alarm") // after by-kind: never wins
          .add("plant/{site}/#", "plant")
          .add("#", "anything");

  @Test
  void firstDeclaredMatchWinsAndLevelsAreCaptured() {
    var m = table.match("devices/dev-7/telemetry");
    assertThat(m.route()).isEqualTo("telemetry");
    assertThat(m.captured()).isEqualTo(Map.of("deviceId", "dev-7"));

    m = table.match("devices/dev-7/alarm");
    assertThat(m.route()).isEqualTo("by-kind");
    assertThat(m.captured()).isEqualTo(Map.of("deviceId", "dev-7", "kind", "alarm"));

    assertThat(table.match("devices/special/alarm").route()).isEqualTo("by-kind");
    assertThat(table.match("plant/north/line/4/temp").captured())
        .isEqualTo(Map.of("site", "north"));
    assertThat(table.match("other/topic").route()).isEqualTo("anything");
  }

  @Test
  void aCapturedLevelIsNeverEmptyAndLevelCountsMustFit() {
    RouteTable<String> t = new RouteTable<String>().add("devices/{deviceId}/telemetry", "t");
    assertThat(t.match("devices//telemetry")).isNull();
    assertThat(t.match("devices/a/telemetry/extra")).isNull();
    assertThat(t.match("devices/a")).isNull();
  }

  @Test
  void matchingCostDoesNotGrowWithTheNumberOfRules() {
    RouteTable<Integer> t = new RouteTable<>();
    for (int i = 0; i < 10_000; i++) {
      t.add("site-" + i + "/{deviceId}/data", i);
    }
    // A trie visits one branch per level: the 9,999th rule is found as directly as the first.
    assertThat(t.match("site-9999/d/data").route()).isEqualTo(9999);
    assertThat(t.match("site-0/d/data").route()).isZero();
  }
}
