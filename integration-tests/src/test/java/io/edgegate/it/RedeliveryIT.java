package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.observe.GatewayMetrics;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A QoS 1 redelivery — the same PUBLISH again with the DUP flag, because the device did not see its
 * PUBACK — is acknowledged again but does not become a second event, also after a reconnect.
 */
@ExtendWith(GatewayHygiene.class)
class RedeliveryIT {
  @TempDir Path dir;

  /** CONNECT (MQTT 3.1.1, clean session); the CONNACK return code. */
  private static int connect(RawMqtt device) throws Exception {
    device.send(RawMqtt.connect(4, "raw-1", 60));
    byte[] connack = device.readPacket(10_000);
    assertThat(connack[0]).isEqualTo((byte) 0x20);
    return connack[2];
  }

  /** A QoS 1 PUBLISH of {"seq":N}, DUP flag as given; the packet id its PUBACK names. */
  private static int publish(RawMqtt device, int packetId, int seq, boolean dup) throws Exception {
    byte[] p = RawMqtt.publish(4, "devices/raw-1/t", 1, packetId, "{\"seq\":" + seq + "}");
    if (dup) {
      p[0] |= 0x08; // [MQTT-3.3.1-1] DUP: an earlier attempt to send this packet
    }
    device.send(p);
    byte[] puback = device.readPacket(10_000);
    assertThat(puback[0]).isEqualTo((byte) 0x40);
    return ((puback[1] & 0xFF) << 8) | (puback[2] & 0xFF);
  }

  @Test
  void aDupRedeliveryIsAcknowledgedButNotForwardedTwice() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      try (TestGateway gw = TestGateway.start(config)) {
        try (RawMqtt device = RawMqtt.open(gw.mqttPort())) {
          assertThat(connect(device)).isZero();
          assertThat(publish(device, 7, 1, false)).isEqualTo(7);
          assertThat(publish(device, 7, 1, true)).as("redelivery acknowledged again").isEqualTo(7);
          // The same packet id reused later for new content is a new event.
          assertThat(publish(device, 7, 2, false)).isEqualTo(7);
          device.send(new byte[] {(byte) 0xE0, 0}); // DISCONNECT
        }
        try (RawMqtt device = RawMqtt.open(gw.mqttPort())) {
          assertThat(connect(device)).isZero();
          // After a reconnect the device resends what it believes unacknowledged, with DUP.
          assertThat(publish(device, 7, 2, true)).isEqualTo(7);
          device.send(new byte[] {(byte) 0xE0, 0});
        }
        List<ConsumerRecord<String, byte[]>> records =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, 2, Duration.ofSeconds(60));
        assertThat(records).extracting(Events::seq).containsExactly(1, 2);
        assertThat(gw.counter(GatewayMetrics.DUPLICATES)).isEqualTo(2);
      }
    }
  }

  @Test
  void aRedeliveryAfterTheConnectionDroppedBeforeItsPubackIsNotForwardedTwice() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      try (TestGateway gw = TestGateway.start(config)) {
        try (RawMqtt device = RawMqtt.open(gw.mqttPort())) {
          assertThat(connect(device)).isZero();
          // The connection drops right after the PUBLISH: the event is journaled with no
          // connection left to acknowledge it on.
          device.send(RawMqtt.publish(4, "devices/raw-1/t", 1, 9, "{\"seq\":1}"));
        }
        KafkaTopic.readAll(kafka.bootstrapServers(), TestGateway.TOPIC, 1, Duration.ofSeconds(60));
        try (RawMqtt device = RawMqtt.open(gw.mqttPort())) {
          assertThat(connect(device)).isZero();
          // The device never saw a PUBACK: it sends the event again, with DUP.
          assertThat(publish(device, 9, 1, true)).as("redelivery acknowledged").isEqualTo(9);
          assertThat(publish(device, 10, 2, false)).isEqualTo(10);
          device.send(new byte[] {(byte) 0xE0, 0});
        }
        List<ConsumerRecord<String, byte[]>> records =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, 2, Duration.ofSeconds(60));
        assertThat(records).extracting(Events::seq).containsExactly(1, 2);
        assertThat(gw.counter(GatewayMetrics.DUPLICATES)).isEqualTo(1);
      }
    }
  }
}
