package io.edgegate.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioLoaderTest {
  static Stream<Path> shippedScenarios() throws IOException {
    return Files.list(Path.of("scenarios")).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest
  @MethodSource("shippedScenarios")
  void everyShippedScenarioIsValid(Path file) {
    Scenario s = ScenarioLoader.load(file).validate(file.toString());
    assertThat(s.name).isEqualTo(file.getFileName().toString().replace(".yaml", ""));
  }

  @Test
  void anEmptyDocumentIsTheDefaults() {
    Scenario s = ScenarioLoader.parse("empty", "").validate("empty");
    assertThat(s.devices.count).isEqualTo(10);
    assertThat(s.mqtt.qos).isEqualTo(1);
    assertThat(s.rate.effectivePerDevice()).isEqualTo(1.0);
  }

  @Test
  void humanNotationsAreRead() {
    Scenario s =
        ScenarioLoader.parse(
                "t",
                """
                rate: {perDevice: 0.5, total: max}
                devices: {rampUp: 1.5s}
                payload: {profile: BINARY, minSize: 1KiB, maxSize: 2KiB}
                bursts: [{at: 1m, duration: 500ms, factor: 3, every: 2m}]
                drainTimeout: PT5S
                """)
            .validate("t");
    assertThat(s.rate.perDevice).isEqualTo(0.5);
    assertThat(s.rate.total).isInfinite();
    assertThat(s.devices.rampUp).isEqualTo(Duration.ofMillis(1500));
    assertThat(s.payload.profile).isEqualTo(PayloadSettings.Profile.BINARY);
    assertThat(s.payload.maxSize).isEqualTo(2048);
    assertThat(s.bursts.get(0).every).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.drainTimeout).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void anUnknownKeyIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> ScenarioLoader.parse("f.yaml", "devices:\n  cuont: 5\n"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("f.yaml: devices.cuont: unknown key (known keys here: count,");
  }

  @Test
  void aBadValueIsNamedWithWhatIsExpected() {
    assertThatThrownBy(() -> ScenarioLoader.parse("f", "duration: soon\n"))
        .hasMessageContaining("duration: invalid value 'soon': 'soon' is not a duration");
    assertThatThrownBy(() -> ScenarioLoader.parse("f", "payload: {profile: xml}\n"))
        .hasMessageContaining(
            "payload.profile: invalid value 'xml': must be one of json, binary, fixed");
    assertThatThrownBy(() -> ScenarioLoader.parse("f", "rate: {perDevice: -1}\n"))
        .hasMessageContaining("rate.perDevice: invalid value '-1'");
  }

  @Test
  void validationReportsEveryProblemWithItsKey() {
    Scenario s = new Scenario();
    s.mqtt.qos = 3;
    s.mqtt.version = 4;
    s.devices.count = 0;
    s.devices.topic = "devices/+/x";
    s.churn.withWill = true;
    s.bursts =
        List.of(new BurstSettings(Duration.ZERO, Duration.ofSeconds(5), 2, Duration.ofSeconds(5)));
    assertThatThrownBy(() -> s.validate("s"))
        .isInstanceOfSatisfying(
            ScenarioException.class,
            e ->
                assertThat(e.problems())
                    .anyMatch(p -> p.startsWith("mqtt.qos: must be from 0 to 2"))
                    .anyMatch(p -> p.startsWith("mqtt.version: must be 3 (MQTT 3.1.1) or 5"))
                    .anyMatch(p -> p.startsWith("devices.count: must be from 1"))
                    .anyMatch(p -> p.startsWith("devices.topic: must not contain the wildcards"))
                    .anyMatch(p -> p.startsWith("churn.withWill: needs mqtt.version 5"))
                    .anyMatch(p -> p.startsWith("bursts[0].every: must be longer")));
  }

  @Test
  void idsAndTopicsAreRestrictedToSafeCharacters() {
    Scenario s = new Scenario();
    s.devices.idPrefix = "a b";
    s.devices.topic = "t/{device}";
    assertThatThrownBy(() -> s.validate("s"))
        .hasMessageContaining("devices.idPrefix: must be at most 64 of the characters")
        .hasMessageContaining("devices.topic: the only placeholder is {deviceId}");
  }

  @Test
  void burstsHaveACommandLineForm() {
    BurstSettings b = BurstSettings.parse("2.5x1500ms@1m");
    assertThat(b.factor).isEqualTo(2.5);
    assertThat(b.duration).isEqualTo(Duration.ofMillis(1500));
    assertThat(b.at).isEqualTo(Duration.ofMinutes(1));
    assertThat(b.every).isNull();
    assertThat(b).hasToString("2.5x1.5s@1m");
    assertThatThrownBy(() -> BurstSettings.parse("10 times"))
        .hasMessageContaining("use FACTORxDURATION@AT[/EVERY]");
  }

  @Test
  void theRecordedScenarioMasksPasswordsAndReadsBack() {
    Scenario s = new Scenario();
    s.mqtt.password = "secret";
    s.mqtt.tls.keyStorePassword = "secret too";
    s.rate.total = Values.UNLIMITED;
    s.duration = Duration.ofSeconds(90);
    var tree = ScenarioJson.masked(s);
    assertThat(tree.toString()).doesNotContain("secret").contains("\"password\":\"***\"");
    Scenario back = ScenarioLoader.parse("record", tree.toString()).validate("record");
    assertThat(back.rate.total).isInfinite();
    assertThat(back.duration).isEqualTo(Duration.ofSeconds(90));
  }
}
