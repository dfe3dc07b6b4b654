package io.edgegate.sim.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.sim.cli.SimCommand;
import io.edgegate.sim.payload.BinaryStamp;
import io.edgegate.sim.payload.Stamp;
import io.edgegate.sim.payload.StampReader;
import io.edgegate.sim.record.RunDirectory;
import io.edgegate.sim.record.RunRecord;
import io.edgegate.sim.scenario.Scenario;
import io.edgegate.sim.simulate.Simulation;
import io.edgegate.sim.simulate.SimulationResult;
import io.edgegate.testsupport.GatewayHygiene;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the simulator puts on the wire, seen by a bare MQTT broker: TLS, credentials, Last Will,
 * MQTT 5 properties, MQTT 3.1.1 with binary payloads, QoS 0 and 2, churn with the will reason code,
 * and a stop in the middle of a run.
 */
@ExtendWith(GatewayHygiene.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProtocolIT {
  @TempDir Path dir;

  @Test
  void mqtt5OverTlsWithCredentialsWillAndTheStampInUserProperties() throws Exception {
    try (FakeBroker broker = FakeBroker.tls()) {
      Sim.Result r =
          Sim.execute(
              "run",
              "--host",
              "localhost",
              "--port",
              String.valueOf(broker.port()),
              "--tls",
              "--trust-store",
              broker.certificate.certificatePath(),
              "--username",
              "{deviceId}",
              "--password",
              "s3cret",
              "--will-topic",
              "devices/{deviceId}/status",
              "--will-payload",
              "{deviceId} gone",
              "--devices",
              "3",
              "--count",
              "10",
              "--rate",
              "max",
              "--qos",
              "1",
              "--run-id",
              "tls",
              "--runs-dir",
              dir.toString());
      assertThat(r.exitCode()).as(r.err()).isEqualTo(SimCommand.EXIT_OK);

      assertThat(broker.connections)
          .hasSize(3)
          .allSatisfy(
              c -> {
                assertThat(c.tls()).isTrue();
                assertThat(c.protocolVersion()).isEqualTo(5);
                assertThat(c.username()).isEqualTo(c.clientId());
                assertThat(c.password()).isEqualTo("s3cret");
                assertThat(c.willTopic()).isEqualTo("devices/" + c.clientId() + "/status");
                assertThat(c.willPayload()).isEqualTo(c.clientId() + " gone");
              });
      assertThat(broker.publishes).hasSize(30);
      MqttPublishMessage first = broker.publishes.get(0);
      Map<String, String> props = userProperties(first.properties());
      Stamp stamp = StampReader.read(first.payload().getBytes());
      assertThat(props)
          .containsEntry(Stamp.USER_PROPERTY_RUN, "tls")
          .containsEntry(Stamp.USER_PROPERTY_DEVICE, stamp.deviceId())
          .containsEntry(Stamp.USER_PROPERTY_SEQ, String.valueOf(stamp.seq()))
          .containsEntry(Stamp.USER_PROPERTY_SENT_AT, String.valueOf(stamp.sentAtMillis()));
      assertThat(first.properties().getProperty(MqttProperties.CONTENT_TYPE).value())
          .isEqualTo("application/json");
      assertThat(first.topicName()).isEqualTo("devices/" + stamp.deviceId() + "/telemetry");

      RunRecord record = Sim.record(dir, "tls");
      assertThat(record.totals.acknowledged).isEqualTo(30);
      assertThat(record.scenario.toString()).doesNotContain("s3cret");
    }
  }

  @Test
  void theBrokersCertificateNameIsCheckedUnlessTurnedOff() throws Exception {
    try (FakeBroker broker = FakeBroker.tls()) {
      // The certificate names "localhost", not "127.0.0.1": no device gets through.
      Sim.Result refused =
          Sim.execute(
              "run",
              "--host",
              "127.0.0.1",
              "--port",
              String.valueOf(broker.port()),
              "--tls",
              "--trust-store",
              broker.certificate.certificatePath(),
              "--devices",
              "2",
              "--duration",
              "1s",
              "--run-id",
              "strict",
              "--runs-dir",
              dir.toString(),
              "--no-progress");
      assertThat(refused.exitCode()).isEqualTo(SimCommand.EXIT_RUNTIME);
      assertThat(refused.err()).contains("no device could connect to mqtts://127.0.0.1:");
      assertThat(broker.connections).isEmpty();

      Sim.Result lax =
          Sim.execute(
              "run",
              "--host",
              "127.0.0.1",
              "--port",
              String.valueOf(broker.port()),
              "--tls",
              "--trust-store",
              broker.certificate.certificatePath(),
              "--no-hostname-verification",
              "--devices",
              "2",
              "--count",
              "1",
              "--run-id",
              "lax",
              "--runs-dir",
              dir.toString());
      assertThat(lax.exitCode()).isEqualTo(SimCommand.EXIT_OK);
      assertThat(broker.publishes).hasSize(2);
    }
  }

  @Test
  void mqtt311AtQos2CarriesTheStampInTheBinaryHeader() throws Exception {
    try (FakeBroker broker = FakeBroker.plain()) {
      Sim.Result r =
          Sim.execute(
              "run",
              "--port",
              String.valueOf(broker.port()),
              "--mqtt-version",
              "3",
              "--qos",
              "2",
              "--payload",
              "binary",
              "--payload-min",
              "40",
              "--payload-max",
              "300",
              "--devices",
              "4",
              "--count",
              "25",
              "--rate",
              "max",
              "--in-flight",
              "4",
              "--run-id",
              "v3",
              "--runs-dir",
              dir.toString());
      assertThat(r.exitCode()).as(r.err()).isEqualTo(SimCommand.EXIT_OK);
      assertThat(broker.connections).allMatch(c -> c.protocolVersion() == 4);
      assertThat(broker.publishes).hasSize(100);
      Map<String, Long> next = new HashMap<>();
      for (MqttPublishMessage m : broker.publishes) {
        assertThat(m.qosLevel().value()).isEqualTo(2);
        byte[] payload = m.payload().getBytes();
        assertThat(BinaryStamp.matches(payload)).isTrue();
        Stamp s = StampReader.read(payload);
        assertThat(s.runId()).isEqualTo("v3");
        long expected = next.getOrDefault(s.deviceId(), 0L);
        assertThat(s.seq()).as("per-device order on the wire").isEqualTo(expected);
        next.put(s.deviceId(), expected + 1);
      }
      assertThat(Sim.record(dir, "v3").totals.acknowledged).isEqualTo(100);
    }
  }

  @Test
  void qos0HasNothingToAcknowledge() throws Exception {
    try (FakeBroker broker = FakeBroker.plain()) {
      Sim.Result r =
          Sim.execute(
              "run",
              "--port",
              String.valueOf(broker.port()),
              "--qos",
              "0",
              "--payload",
              "fixed",
              "--payload-size",
              "64",
              "--devices",
              "2",
              "--count",
              "50",
              "--rate",
              "max",
              "--run-id",
              "q0",
              "--runs-dir",
              dir.toString());
      assertThat(r.exitCode()).isEqualTo(SimCommand.EXIT_OK);
      assertThat(r.out()).contains("written       100 (QoS 0: no acknowledgement)");
      RunRecord record = Sim.record(dir, "q0");
      assertThat(record.totals.written).isEqualTo(100);
      assertThat(record.totals.acknowledged).isZero();
      await().atMost(Duration.ofSeconds(30)).until(() -> broker.publishes.size() == 100);
      assertThat(broker.publishes).allMatch(m -> m.payload().length() == 64);
    }
  }

  @Test
  void churnDisconnectsWithTheWillReasonAndDevicesComeBack() throws Exception {
    try (FakeBroker broker = FakeBroker.plain()) {
      Sim.Result r =
          Sim.execute(
              "run",
              "--port",
              String.valueOf(broker.port()),
              "--devices",
              "5",
              "--rate",
              "20",
              "--churn-every",
              "400ms",
              "--churn-fraction",
              "1",
              "--churn-downtime",
              "100ms",
              "--churn-with-will",
              "--will-topic",
              "w/{deviceId}",
              "--duration",
              "1500ms",
              "--run-id",
              "churn",
              "--runs-dir",
              dir.toString());
      assertThat(r.exitCode()).as(r.err()).isEqualTo(SimCommand.EXIT_OK);
      RunRecord record = Sim.record(dir, "churn");
      assertThat(record.totals.churned).isGreaterThanOrEqualTo(5);
      assertThat(record.totals.connects).isGreaterThanOrEqualTo(10);
      assertThat(broker.disconnectReasons)
          .contains(MqttDisconnectReasonCode.WITH_WILL_MESSAGE)
          .as("the final disconnect is a normal one")
          .contains(MqttDisconnectReasonCode.NORMAL);
      assertThat(record.totals.acknowledged + record.totals.failed + record.totals.late)
          .isEqualTo(record.totals.sent);
    }
  }

  @Test
  void aStoppedRunStillDrainsAndWritesItsRecord() throws Exception {
    try (FakeBroker broker = FakeBroker.plain()) {
      Scenario scenario = new Scenario();
      scenario.mqtt.port = broker.port();
      scenario.devices.count = 20;
      scenario.rate.perDevice = 50.0; // no duration, no count: runs until stopped
      RunDirectory runDir = RunDirectory.create(dir, "stopped");
      Simulation simulation =
          new Simulation(
              scenario.validate("test"),
              "stopped",
              runDir,
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              false,
              Clock.systemUTC());
      CompletableFuture<SimulationResult> running =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return simulation.run();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      await().atMost(Duration.ofSeconds(30)).until(() -> broker.publishes.size() >= 200);
      simulation.stop();
      SimulationResult result = running.get(60, TimeUnit.SECONDS);
      assertThat(result.record().stopReason).isEqualTo("stopped");
      assertThat(result.record().status).isEqualTo(RunRecord.STATUS_FINISHED);
      assertThat(result.record().totals.acknowledged).isEqualTo(result.record().totals.sent);
      assertThat(runDir.readRecord().totals.sent).isGreaterThanOrEqualTo(200);
    }
  }

  private static Map<String, String> userProperties(MqttProperties properties) {
    Map<String, String> out = new HashMap<>();
    for (MqttProperties.MqttProperty<?> p :
        properties.getProperties(MqttProperties.USER_PROPERTY)) {
      collect(p.value(), out);
    }
    return out;
  }

  private static void collect(Object value, Map<String, String> out) {
    if (value instanceof MqttProperties.StringPair pair) {
      out.put(pair.key, pair.value);
    } else if (value instanceof List<?> list) {
      list.forEach(v -> collect(v, out));
    }
  }
}
