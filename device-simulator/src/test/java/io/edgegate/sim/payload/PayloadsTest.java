package io.edgegate.sim.payload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.sim.scenario.PayloadSettings;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PayloadsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Stamp STAMP =
      new Stamp("20261123-150117-k3x9", "sim-0042", 17, 1763910077293L);

  @Test
  void telemetryIsValidJsonCarryingTheStampAndPlausibleReadings() throws Exception {
    PayloadSource source = new TelemetryPayloads(new SplittableRandom(1), 0);
    double previous = Double.NaN;
    for (int i = 0; i < 1000; i++) {
      byte[] bytes =
          source.next(new Stamp(STAMP.runId(), STAMP.deviceId(), i, STAMP.sentAtMillis()));
      JsonNode doc = JSON.readTree(bytes);
      assertThat(doc.get("run").asText()).isEqualTo(STAMP.runId());
      assertThat(doc.get("device").asText()).isEqualTo("sim-0042");
      assertThat(doc.get("seq").asLong()).isEqualTo(i);
      assertThat(doc.get("sentAt").asLong()).isEqualTo(STAMP.sentAtMillis());
      double t = doc.get("temperature").asDouble();
      assertThat(t).isBetween(10.0, 35.0);
      if (!Double.isNaN(previous)) {
        assertThat(Math.abs(t - previous)).as("a random walk, not noise").isLessThan(1.0);
      }
      previous = t;
      assertThat(doc.get("humidity").asDouble()).isBetween(0.0, 100.0);
      assertThat(doc.get("battery").asDouble()).isBetween(5.0, 100.0);
      assertThat(doc.get("lat").asDouble()).isBetween(47.9, 48.4);
      assertThat(doc.get("lon").asDouble()).isBetween(11.3, 11.8);
      assertThat(doc.get("rssi").asInt()).isBetween(-110, -40);
      assertThat(StampReader.read(bytes))
          .isEqualTo(new Stamp(STAMP.runId(), STAMP.deviceId(), i, STAMP.sentAtMillis()));
    }
  }

  @Test
  void aSeedReproducesADevicesTelemetry() {
    byte[] a = new TelemetryPayloads(new SplittableRandom(7), 0).next(STAMP);
    byte[] b = new TelemetryPayloads(new SplittableRandom(7), 0).next(STAMP);
    assertThat(a).isEqualTo(b);
  }

  @Test
  void telemetryIsPaddedToTheRequestedSize() throws Exception {
    byte[] bytes = new TelemetryPayloads(new SplittableRandom(1), 1024).next(STAMP);
    assertThat(bytes).hasSize(1024);
    assertThat(JSON.readTree(bytes).get("pad").asText()).matches("x+");
  }

  @Test
  void fixedPayloadsHaveExactlyTheSizeAndTheBinaryStamp() {
    PayloadSettings settings = new PayloadSettings();
    settings.profile = PayloadSettings.Profile.FIXED;
    settings.size = 100L;
    byte[] bytes = Payloads.forDevice(settings, new SplittableRandom()).next(STAMP);
    assertThat(bytes).hasSize(100);
    assertThat(StampReader.read(bytes)).isEqualTo(STAMP);
  }

  @Test
  void binaryPayloadsVaryInSizeWithinTheBounds() {
    PayloadSource source = BinaryPayloads.random(new SplittableRandom(3), 100, 4096);
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int i = 0; i < 500; i++) {
      byte[] bytes = source.next(STAMP);
      min = Math.min(min, bytes.length);
      max = Math.max(max, bytes.length);
      assertThat(BinaryStamp.read(bytes)).isEqualTo(STAMP);
    }
    assertThat(min).isGreaterThanOrEqualTo(100).isLessThan(600);
    assertThat(max).isLessThanOrEqualTo(4096).isGreaterThan(3500);
  }

  @Test
  void foreignAndBrokenPayloadsHaveNoStamp() {
    assertThat(StampReader.read("{\"temp\":21.5}".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(StampReader.read("{\"run\":\"r\",\"device\":".getBytes(StandardCharsets.UTF_8)))
        .isNull();
    assertThat(StampReader.read("hello".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(StampReader.read(new byte[] {'E', 'G', 'S', 1, 30})).as("cut short").isNull();
    assertThat(StampReader.read(new byte[0])).isNull();
  }

  @Test
  void jsonFromOtherProducersIsReadInAnyFieldOrder() {
    String doc = "  {\"x\":{\"y\":[1,2]},\"sentAt\":5,\"seq\":3,\"device\":\"d\",\"run\":\"r\"}";
    assertThat(StampReader.read(doc.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new Stamp("r", "d", 3, 5));
  }
}
