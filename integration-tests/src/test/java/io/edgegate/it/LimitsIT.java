package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.MqttLimitsConfig;
import io.edgegate.gateway.observe.GatewayMetrics;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits against event storms and resource exhaustion: connections in total and per address,
 * keep-alive, the in-flight window (MQTT 5 Receive Maximum), and the per-device publish rate
 * (throttling without loss, also of a device that floods).
 */
@ExtendWith(GatewayHygiene.class)
class LimitsIT {
  @TempDir static Path dir;
  @RegisterExtension static final ClassKafka kafka = new ClassKafka();

  private static GatewayConfig config(String name) {
    GatewayConfig c = TestGateway.config(dir.resolve(name), kafka.bootstrapServers());
    c.kafka.topic = name;
    return c;
  }

  private static double counter(TestGateway gw, String name, String reason) {
    return DeviceSecurityIT.counter(gw, name, reason);
  }

  @Test
  void oneAddressReconnectingInALoopIsHeldToItsConnectionRate() throws Exception {
    GatewayConfig c = config("rate-of-connections");
    c.mqtt.limits.connectionRate = 0.2; // one every 5 s per address
    c.mqtt.limits.connectionBurst = 3;
    try (TestGateway gw = TestGateway.start(c)) {
      int port = gw.mqttPort();
      for (int i = 0; i < 3; i++) { // the burst: three in a row are served
        try (RawMqtt d = RawMqtt.open("127.0.0.5", port)) {
          d.send(RawMqtt.connect(4, "loop-" + i, 30));
          assertThat(d.readPacket(5000)).as("CONNACK " + i).containsExactly(0x20, 0x00, 0x00);
        }
      }
      try (RawMqtt fourth = RawMqtt.open("127.0.0.5", port)) {
        fourth.send(RawMqtt.connect(4, "loop-3", 30));
        assertThat(fourth.readPacketOrNull(5000)).as("4th at once: closed, no CONNACK").isNull();
      }
      try (RawMqtt other = RawMqtt.open("127.0.0.6", port)) {
        other.send(RawMqtt.connect(4, "elsewhere", 30));
        assertThat(other.readPacket(5000)).as("another address").containsExactly(0x20, 0x00, 0x00);
      }
      assertThat(counter(gw, GatewayMetrics.CONNECTIONS_REFUSED, "connection-rate-exceeded"))
          .isEqualTo(1);
      // Within its rate again, the address is served.
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                try (RawMqtt again = RawMqtt.open("127.0.0.5", port)) {
                  again.send(RawMqtt.connect(4, "loop-again", 30));
                  assertThat(again.readPacketOrNull(5000)).isNotNull();
                }
              });
    }
  }

  @Test
  void connectionsAreLimitedInTotalAndPerAddressFromTheTcpAccept() throws Exception {
    GatewayConfig c = config("conns");
    c.mqtt.limits.maxConnections = 5;
    c.mqtt.limits.maxConnectionsPerAddress = 3;
    try (TestGateway gw = TestGateway.start(c)) {
      int port = gw.mqttPort();
      List<RawMqtt> open = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        open.add(RawMqtt.open("127.0.0.2", port));
      }
      try (RawMqtt fourth = RawMqtt.open("127.0.0.2", port)) {
        assertThat(fourth.closedWithin(5000)).as("4th from one address").isTrue();
      }
      open.add(RawMqtt.open("127.0.0.3", port));
      open.add(RawMqtt.open("127.0.0.3", port));
      try (RawMqtt sixth = RawMqtt.open("127.0.0.4", port)) {
        assertThat(sixth.closedWithin(5000)).as("6th in total").isTrue();
      }
      for (RawMqtt r : open) {
        assertThat(r.closedWithin(50)).as("within the limits: still open").isFalse();
      }
      open.remove(0).close();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                try (RawMqtt again = RawMqtt.open("127.0.0.4", port)) {
                  again.send(RawMqtt.connect(4, "again", 30));
                  byte[] connack = again.readPacket(5000);
                  assertThat(connack).isNotNull();
                  assertThat(connack[0] & 0xf0).isEqualTo(0x20);
                }
              });
      open.forEach(RawMqtt::close);
      assertThat(counter(gw, GatewayMetrics.CONNECTIONS_REFUSED, "too-many-from-address"))
          .isEqualTo(1);
      assertThat(counter(gw, GatewayMetrics.CONNECTIONS_REFUSED, "too-many-connections"))
          .isPositive();
    }
  }

  @Test
  void keepAliveIsCappedAndSilentConnectionsAreClosed() throws Exception {
    GatewayConfig c = config("keepalive");
    c.mqtt.limits.maxKeepAlive = Duration.ofSeconds(2);
    try (TestGateway gw = TestGateway.start(c)) {
      // MQTT 5: a device asking for no keep-alive is told the maximum, and stays up by pinging.
      Mqtt5BlockingClient d =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier("ka-5")
              .serverHost("127.0.0.1")
              .serverPort(gw.mqttPort())
              .buildBlocking();
      Mqtt5ConnAck ack = d.connectWith().keepAlive(0).send();
      assertThat(ack.getServerKeepAlive()).hasValue(2);
      // MQTT 3.1.1 cannot be told: a device silent for 1.5 x the maximum is closed.
      try (RawMqtt silent = RawMqtt.open(gw.mqttPort())) {
        silent.send(RawMqtt.connect(4, "ka-3", 0));
        assertThat(silent.readPacket(5000)[0] & 0xf0).isEqualTo(0x20);
        long start = System.nanoTime();
        assertThat(silent.closedWithin(10_000)).isTrue();
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(2500L, 6000L);
      }
      assertThat(d.getState().isConnected()).as("the MQTT 5 device pinged in time").isTrue();
      d.disconnect();
      assertThat(counter(gw, GatewayMetrics.CONNECTIONS_CLOSED, "keep-alive-timeout")).isEqualTo(1);
    }
  }

  @Test
  void theInflightWindowIsAnnouncedAndEnforced() throws Exception {
    GatewayConfig c = config("inflight");
    c.mqtt.limits.maxInflight = 5;
    try (TestGateway gw = TestGateway.start(c)) {
      // MQTT 5: 50 QoS 1 publishes without waiting for a PUBACK break the Receive Maximum of 5.
      try (RawMqtt greedy = RawMqtt.open(gw.mqttPort())) {
        greedy.send(RawMqtt.connect(5, "greedy", 30));
        byte[] connack = greedy.readPacket(5000);
        assertThat(connack[0] & 0xf0).isEqualTo(0x20);
        byte[][] burst = new byte[50][];
        for (int i = 0; i < burst.length; i++) {
          burst[i] = RawMqtt.publish(5, "devices/greedy/t", 1, i + 1, "{\"seq\":" + i + "}");
        }
        greedy.send(burst);
        int reason = -1;
        byte[] p;
        while ((p = greedy.readPacket(10_000)) != null) {
          if ((p[0] & 0xf0) == 0xe0) {
            reason = p[1] & 0xff;
          }
        }
        assertThat(reason).as("DISCONNECT reason").isEqualTo(0x93);
      }
      // MQTT 3.1.1 has no window to announce: the device is slowed down, nothing is lost.
      MqttAsyncClient paho =
          new MqttAsyncClient(
              "tcp://127.0.0.1:" + gw.mqttPort(), "paho-w", new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      o.setMaxInflight(300); // more than the gateway's window: it pauses the socket
      paho.connect(o).waitForCompletion(10_000);
      List<IMqttDeliveryToken> tokens = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        MqttMessage m = new MqttMessage(Device.payload("paho-w", i, 10));
        m.setQos(1);
        tokens.add(paho.publish(Device.topic("paho-w"), m));
      }
      for (IMqttDeliveryToken t : tokens) {
        t.waitForCompletion(30_000);
      }
      paho.disconnect().waitForCompletion(5000);
      paho.close();
      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(kafka.bootstrapServers(), "inflight", 300, Duration.ofSeconds(60));
      assertThat(Events.byDevice(records).get("paho-w")).hasSize(300).isSorted();
      assertThat(counter(gw, GatewayMetrics.CONNECTIONS_CLOSED, "receive-maximum-exceeded"))
          .isEqualTo(1);
    }
  }

  @Test
  void overItsRateADeviceIsThrottledNotDroppedOrDisconnectedWhenConfigured() throws Exception {
    GatewayConfig c = config("rate");
    c.mqtt.limits.publishRate = 50;
    c.mqtt.limits.publishBurst = 10;
    try (TestGateway gw = TestGateway.start(c);
        Device d = Device.connect("fast", gw.mqttPort())) {
      long start = System.nanoTime();
      d.publish(0, 200, MqttQos.AT_LEAST_ONCE, 20).get(60, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "[measure] 200 QoS 1 publishes at a limit of 50/s (burst 10): all acknowledged in %.2f s%n",
          seconds);
      assertThat(d.acked).hasSize(200);
      assertThat(seconds).as("(200 - 10) / 50 = 3.8 s at least").isGreaterThan(3.5);
      assertThat(gw.counter(GatewayMetrics.THROTTLED)).isPositive();
      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(kafka.bootstrapServers(), "rate", 200, Duration.ofSeconds(60));
      assertThat(Events.byDevice(records).get("fast")).hasSize(200).isSorted();
    }
    c = config("rate-disconnect");
    c.mqtt.limits.publishRate = 5;
    c.mqtt.limits.publishBurst = 5;
    c.mqtt.limits.overRate = MqttLimitsConfig.OverRate.DISCONNECT;
    try (TestGateway gw = TestGateway.start(c);
        RawMqtt r = RawMqtt.open(gw.mqttPort())) {
      r.send(RawMqtt.connect(5, "storm", 30));
      assertThat(r.readPacket(5000)[0] & 0xf0).isEqualTo(0x20);
      byte[][] burst = new byte[20][];
      for (int i = 0; i < burst.length; i++) {
        burst[i] = RawMqtt.publish(5, "devices/storm/t", 0, 0, "{\"seq\":" + i + "}");
      }
      try {
        r.send(burst);
      } catch (java.io.IOException e) {
        // disconnected half way through: what the test expects
      }
      int reason = -1;
      byte[] p;
      while ((p = r.readPacket(10_000)) != null) {
        if ((p[0] & 0xf0) == 0xe0) {
          reason = p[1] & 0xff;
        }
      }
      assertThat(reason).as("DISCONNECT 0x96 message rate too high").isEqualTo(0x96);
      assertThat(counter(gw, GatewayMetrics.CONNECTIONS_CLOSED, "rate-exceeded")).isEqualTo(1);
    }
  }

  @Test
  void aFloodingDeviceIsThrottledToItsRateWithoutLoss() throws Exception {
    // How much the throttled flood slows the other devices is a measurement, not a test: the
    // benchmarks measure ack latency under load.
    GatewayConfig c = config("flood-limited");
    c.mqtt.limits.publishRate = 200;
    c.mqtt.limits.publishBurst = 200;
    try (TestGateway gw = TestGateway.start(c);
        Device flood = Device.connect("flood", gw.mqttPort())) {
      AtomicBoolean stop = new AtomicBoolean();
      long start = System.nanoTime();
      CompletableFuture<Integer> f = flood.stream(0, 500, 100, stop);
      // 1,000 acknowledged take 4 s at 200/s after the burst: long enough to see the rate.
      await().atMost(Duration.ofSeconds(60)).until(() -> flood.acked.size() >= 1000);
      double floodRate = flood.acked.size() / ((System.nanoTime() - start) / 1e9);
      stop.set(true);
      f.get(60, TimeUnit.SECONDS);
      List<Integer> acked = new ArrayList<>(flood.acked);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> gw.counter(GatewayMetrics.FORWARDED) >= gw.counter(GatewayMetrics.JOURNALED));
      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(
              kafka.bootstrapServers(),
              "flood-limited",
              (int) gw.counter(GatewayMetrics.FORWARDED),
              Duration.ofSeconds(60));
      assertThat(Events.byDevice(records).get(flood.id))
          .as("every acknowledged event of the throttled device reached Kafka")
          .containsAll(acked);
      assertThat(floodRate).as("acknowledged per second").isLessThan(200 * 1.5);
      assertThat(gw.counter(GatewayMetrics.THROTTLED)).isPositive();
    }
  }
}
