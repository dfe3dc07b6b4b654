package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.kafka.embedded.FreePorts;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persistent sessions: QoS 2 exactly once from device to journal across a reconnect and a gateway
 * kill, session expiry, Session Present, and the bound on sessions. Devices are hand-built packets
 * ({@link RawMqtt}) so each DUP, PUBREL and reconnect is where the test puts it.
 */
@ExtendWith(GatewayHygiene.class)
class SessionIT {
  @TempDir Path dir;

  private static final int CONNACK = 0x20;
  private static final int PUBREC = 0x50;
  private static final int PUBCOMP = 0x70;

  /** CONNECT; returns the CONNACK (byte 1: Session Present flag, byte 2: return/reason code). */
  static byte[] connect(RawMqtt device, int level, String id, boolean clean, long expiry)
      throws Exception {
    device.send(RawMqtt.connect(level, id, 60, clean, expiry));
    byte[] connack = device.readPacket(10_000);
    assertThat(connack[0] & 0xff).isEqualTo(CONNACK);
    return connack;
  }

  static byte[] qos2(int level, String id, int packetId, int seq, boolean dup) {
    byte[] p = RawMqtt.publish(level, "devices/" + id + "/t", 2, packetId, "{\"seq\":" + seq + "}");
    if (dup) {
      p[0] |= 0x08; // [MQTT-3.3.1-1] a re-delivery
    }
    return p;
  }

  static byte[] expect(RawMqtt device, int type) throws Exception {
    byte[] p = device.readPacket(10_000);
    assertThat(p).as("a packet of type 0x%02x", type).isNotNull();
    assertThat(p[0] & 0xf0).as("packet type").isEqualTo(type);
    return p;
  }

  @Test
  void aQos2RepeatAfterAReconnectIsAcknowledgedButJournaledOnce() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      try (TestGateway gw = TestGateway.start(config)) {
        try (RawMqtt d = RawMqtt.open(gw.mqttPort())) {
          byte[] connack = connect(d, 4, "q2", false, -1);
          assertThat(connack[1]).as("no session yet").isZero();
          d.send(qos2(4, "q2", 5, 1, false));
          assertThat(RawMqtt.packetId(expect(d, PUBREC))).isEqualTo(5);
          // The connection drops before the device's PUBREL.
        }
        try (RawMqtt d = RawMqtt.open(gw.mqttPort())) {
          byte[] connack = connect(d, 4, "q2", false, -1);
          assertThat(connack[1]).as("[MQTT-3.2.2-2] Session Present").isEqualTo((byte) 1);
          d.send(qos2(4, "q2", 5, 1, true));
          assertThat(RawMqtt.packetId(expect(d, PUBREC))).isEqualTo(5);
          d.send(RawMqtt.pubrel(5));
          assertThat(RawMqtt.packetId(expect(d, PUBCOMP))).isEqualTo(5);
          // The id is free again: new content under it is a new event.
          d.send(qos2(4, "q2", 5, 2, false));
          expect(d, PUBREC);
          d.send(RawMqtt.pubrel(5));
          expect(d, PUBCOMP);
          d.send(new byte[] {(byte) 0xE0, 0});
        }
        List<ConsumerRecord<String, byte[]>> records =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, 2, Duration.ofSeconds(60));
        assertThat(records).extracting(Events::seq).containsExactly(1, 2);
      }
    }
  }

  @Test
  void qos2StateSurvivesAGatewayKill() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      int port = FreePorts.one();
      Path config =
          GatewayProcess.writeConfig(
              dir.resolve("gateway.yaml"),
              "sessions",
              dir.resolve("gw"),
              port,
              kafka.bootstrapServers(),
              "journal: {sync: batch}");
      try (GatewayProcess gw = GatewayProcess.start(config, dir.resolve("logs"), "before")) {
        try (RawMqtt d = RawMqtt.open(port)) {
          connect(d, 5, "k1", false, 3600);
          d.send(qos2(5, "k1", 9, 1, false));
          expect(d, PUBREC); // sent only once the session knowing id 9 is on disk
          gw.kill(); // SIGKILL: no shutdown, no flush
        }
      }
      try (GatewayProcess gw = GatewayProcess.start(config, dir.resolve("logs"), "after")) {
        try (RawMqtt d = RawMqtt.open(port)) {
          byte[] connack = connect(d, 5, "k1", false, 3600);
          assertThat(connack[1]).as("the session survived the kill").isEqualTo((byte) 1);
          d.send(qos2(5, "k1", 9, 1, true));
          expect(d, PUBREC);
          d.send(RawMqtt.pubrel(9));
          byte[] pubcomp = expect(d, PUBCOMP);
          assertThat(RawMqtt.packetId(pubcomp)).isEqualTo(9);
          // [MQTT-4.4.0-1] a PUBREL for an id the session does not know: PUBCOMP 0x92.
          d.send(RawMqtt.pubrel(77));
          byte[] unknown = expect(d, PUBCOMP);
          assertThat(unknown[3] & 0xff).isEqualTo(0x92);
          d.send(new byte[] {(byte) 0xE0, 0});
        }
        List<ConsumerRecord<String, byte[]>> records =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, 1, Duration.ofSeconds(60));
        assertThat(records).extracting(Events::seq).containsExactly(1);
      }
    }
  }

  @Test
  void sessionsExpireAsTheDeviceAskedAnd311SessionsAtTheConfiguredMaximum() throws Exception {
    var config = TestGateway.config(dir.resolve("gw"), "127.0.0.1:9"); // Kafka not needed
    config.mqtt.sessions.maxExpiry = Duration.ofSeconds(2);
    config.mqtt.sessions.expiryCheckInterval = Duration.ofMillis(50);
    try (TestGateway gw = TestGateway.start(config)) {
      try (RawMqtt d = RawMqtt.open(gw.mqttPort())) {
        connect(d, 5, "e5", false, 1);
        d.send(new byte[] {(byte) 0xE0, 0});
      }
      try (RawMqtt d = RawMqtt.open(gw.mqttPort())) {
        byte[] connack = connect(d, 4, "e4", false, -1);
        assertThat(connack[1]).isZero();
        d.send(new byte[] {(byte) 0xE0, 0});
      }
      try (RawMqtt d = RawMqtt.open(gw.mqttPort())) {
        // Asks for more than mqtt.sessions.maxExpiry: CONNACK names the interval that applies.
        byte[] connack = connect(d, 5, "long", false, 100_000);
        assertThat(connack)
            .as("Session Expiry Interval 2 in CONNACK")
            .containsSequence(0x11, 0, 0, 0, 2);
      }
      var sessions = gw.gateway.sessions();
      assertThat(sessions.get("e5")).isNotNull();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sessions.get("e5") == null && sessions.get("e4") == null);
      try (RawMqtt d = RawMqtt.open(gw.mqttPort())) {
        byte[] connack = connect(d, 5, "e5", false, 1);
        assertThat(connack[1]).as("expired: a new session").isZero();
      }
    }
  }

  @Test
  void aNewPersistentSessionOverTheBoundIsRefused() throws Exception {
    var config = TestGateway.config(dir.resolve("gw"), "127.0.0.1:9");
    config.mqtt.sessions.max = 1;
    try (TestGateway gw = TestGateway.start(config)) {
      try (RawMqtt a = RawMqtt.open(gw.mqttPort());
          RawMqtt b = RawMqtt.open(gw.mqttPort());
          RawMqtt c = RawMqtt.open(gw.mqttPort());
          RawMqtt e = RawMqtt.open(gw.mqttPort())) {
        assertThat(connect(a, 5, "first", false, 60)[2]).isZero();
        assertThat(connect(b, 5, "second", false, 60)[2] & 0xff)
            .as("quota exceeded")
            .isEqualTo(0x97);
        assertThat(connect(c, 4, "third", false, -1)[2])
            .as("server unavailable")
            .isEqualTo((byte) 3);
        assertThat(connect(e, 4, "clean", true, -1)[2])
            .as("clean sessions are not bounded")
            .isZero();
      }
    }
  }
}
