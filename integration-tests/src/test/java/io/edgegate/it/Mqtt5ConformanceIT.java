package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.observe.GatewayMetrics;
import io.edgegate.testsupport.GatewayHygiene;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What an MQTT conformance run checks that applies to a gateway (most of such a suite needs a
 * general broker): the CONNACK's availability properties and the rules they bind devices to, an
 * empty client id with Clean Start 0, a wrong protocol name, and a correct refusal logged as one
 * line. Hand-built packets, with the bytes on the wire asserted.
 */
@ExtendWith(GatewayHygiene.class)
class Mqtt5ConformanceIT {
  @TempDir static Path dir;
  @RegisterExtension static final ClassKafka kafka = new ClassKafka();
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    GatewayConfig c = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
    c.mqtt.limits.maxInflight = 5;
    gw = TestGateway.start(c);
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
  }

  private static double refused(String reason) {
    return DeviceSecurityIT.counter(gw, GatewayMetrics.CONNECTIONS_REFUSED, reason);
  }

  @Test
  void anEmptyClientIdWithCleanStart0IsAssignedAnIdEveryTimeInMqtt5() throws Exception {
    for (int attempt = 0; attempt < 2; attempt++) { // paho's reconnect sends the same CONNECT
      try (RawMqtt d = RawMqtt.open(gw.mqttPort())) {
        d.send(RawMqtt.connect(5, "", 30, false, 300));
        byte[] connack = d.readPacket(5000);
        assertThat(connack[0] & 0xff).isEqualTo(0x20);
        assertThat(connack[1] & 0x01).as("Session Present").isZero();
        assertThat(RawMqtt.reasonCode(connack)).as("CONNACK reason").isZero();
        Map<Integer, Object> props = connackProperties(connack);
        assertThat((String) props.get(0x12)).as("Assigned Client Identifier").isNotBlank();
      }
    }
  }

  @Test
  void anEmptyClientIdWithCleanSession0IsRefusedCountedInMqtt311() throws Exception {
    double before = refused("client-id-invalid");
    try (RawMqtt d = RawMqtt.open(gw.mqttPort())) {
      d.send(RawMqtt.connect(4, "", 30, false, -1));
      // [MQTT-3.1.3-8] CONNACK return code 0x02, identifier rejected; then closed.
      assertThat(d.readPacket(5000)).containsExactly(0x20, 0x00, 0x02);
      assertThat(d.closedWithin(5000)).isTrue();
    }
    assertThat(refused("client-id-invalid")).isEqualTo(before + 1);
  }

  @Test
  void theConnackSaysWhatIsNotOfferedAndDevicesAreHeldToIt() throws Exception {
    try (RawMqtt d = RawMqtt.open(gw.mqttPort())) {
      d.send(RawMqtt.connect(5, "conf-1", 30));
      byte[] connack = d.readPacket(5000);
      assertThat(RawMqtt.reasonCode(connack)).isZero();
      Map<Integer, Object> props = connackProperties(connack);
      assertThat(props.get(0x25)).as("Retain Available").isEqualTo(0);
      assertThat(props.get(0x29)).as("Subscription Identifier Available").isEqualTo(0);
      assertThat(props.get(0x2a)).as("Shared Subscription Available").isEqualTo(0);
      // Served, so absent (absent means available; Maximum QoS absent means 2):
      assertThat(props).doesNotContainKey(0x28).doesNotContainKey(0x24);
      assertThat(props.get(0x21)).as("Receive Maximum").isEqualTo(5);

      // A SUBSCRIBE with Subscription Identifier 456789: DISCONNECT 0xA1.
      d.send(subscribeWithIdentifier(1, "devices/conf-1/commands/#", 456789));
      byte[] p = d.readUntil(0xe0, 5000);
      assertThat(p).as("DISCONNECT").isNotNull();
      assertThat(RawMqtt.reasonCode(p)).isEqualTo(0xa1);
      assertThat(d.closedWithin(5000)).isTrue();
    }
    try (RawMqtt d = RawMqtt.open(gw.mqttPort())) {
      d.send(RawMqtt.connect(5, "conf-2", 30));
      assertThat(RawMqtt.reasonCode(d.readPacket(5000))).isZero();
      byte[] retained = RawMqtt.publish(5, "devices/conf-2/t", 1, 1, "{}");
      retained[0] |= 0x01; // RETAIN
      d.send(retained);
      byte[] p = d.readUntil(0xe0, 5000);
      assertThat(p).as("DISCONNECT").isNotNull();
      assertThat(RawMqtt.reasonCode(p)).as("Retain not supported").isEqualTo(0x9a);
      assertThat(d.closedWithin(5000)).isTrue();
    }
    double before = refused("retain-not-supported");
    try (RawMqtt d = RawMqtt.open(gw.mqttPort())) {
      d.send(connectWithWill(5, "conf-3", "devices/conf-3/status", true));
      // [MQTT-3.2.2-13] Will Retain 1 without retained messages: CONNACK 0x9A, then closed.
      byte[] connack = d.readPacket(5000);
      assertThat(connack[0] & 0xff).isEqualTo(0x20);
      assertThat(RawMqtt.reasonCode(connack)).isEqualTo(0x9a);
      assertThat(d.closedWithin(5000)).isTrue();
    }
    assertThat(refused("retain-not-supported")).isEqualTo(before + 1);
  }

  @Test
  void aWrongProtocolNameIsClosedWithoutACONNACK() throws Exception {
    double before = refused("protocol-error");
    for (String name : new String[] {"MQTX", "MQIsdp"}) {
      try (RawMqtt d = RawMqtt.open(gw.mqttPort())) {
        d.send(connect(name, 5));
        // [MQTT-3.1.2-1] closed; before, a 3.1.1 CONNACK 20 02 00 01 came back to an MQTT 5 client
        assertThat(d.readPacketOrNull(5000)).as(name + " at level 5").isNull();
        assertThat(d.closedWithin(5000)).isTrue();
      }
    }
    assertThat(refused("protocol-error")).isEqualTo(before + 2);
    try (RawMqtt d = RawMqtt.open(gw.mqttPort())) {
      d.send(connect("MQTT", 6)); // a level nobody speaks: 0x01, the code both versions define
      assertThat(d.readPacket(5000)).containsExactly(0x20, 0x00, 0x01);
    }
  }

  @Test
  void overTheReceiveMaximumIsOneDisconnectAndNoErrorLogged() throws Exception {
    ListAppender<ILoggingEvent> errors = new ListAppender<>();
    errors.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(errors);
    try (RawMqtt greedy = RawMqtt.open(gw.mqttPort())) {
      greedy.send(RawMqtt.connect(5, "greedy", 30));
      assertThat(RawMqtt.reasonCode(greedy.readPacket(5000))).isZero();
      byte[][] burst = new byte[50][];
      for (int i = 0; i < burst.length; i++) {
        burst[i] = RawMqtt.publish(5, "devices/greedy/t", 1, i + 1, "{\"seq\":" + i + "}");
      }
      greedy.send(burst);
      byte[] p = greedy.readUntil(0xe0, 10_000);
      assertThat(p).as("DISCONNECT").isNotNull();
      assertThat(RawMqtt.reasonCode(p)).as("Receive Maximum exceeded").isEqualTo(0x93);
      assertThat(greedy.closedWithin(5000)).isTrue();
    } finally {
      root.detachAppender(errors);
    }
    assertThat(errors.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)))
        .as("warnings and errors logged")
        .isEmpty();
  }

  // ---- packets and properties ----

  /** CONNECT (clean start, no properties) with {@code name} as the protocol name. */
  private static byte[] connect(String name, int level) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    RawMqtt.writeString(b, RawMqtt.utf8(name));
    b.write(level);
    b.write(0x02);
    b.write(0);
    b.write(30);
    if (level >= 5) {
      b.write(0);
    }
    RawMqtt.writeString(b, RawMqtt.utf8("wrong-name"));
    return RawMqtt.packet(0x10, b.toByteArray());
  }

  /** CONNECT with a Will on {@code topic}, QoS 0, with Will Retain as given. */
  static byte[] connectWithWill(int level, String clientId, String topic, boolean retain) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    RawMqtt.writeString(b, RawMqtt.utf8("MQTT"));
    b.write(level);
    b.write(0x02 | 0x04 | (retain ? 0x20 : 0)); // clean, Will flag, Will Retain
    b.write(0);
    b.write(30);
    if (level >= 5) {
      b.write(0); // CONNECT properties
    }
    RawMqtt.writeString(b, RawMqtt.utf8(clientId));
    if (level >= 5) {
      b.write(0); // Will properties
    }
    RawMqtt.writeString(b, RawMqtt.utf8(topic));
    RawMqtt.writeString(b, RawMqtt.utf8("gone"));
    return RawMqtt.packet(0x10, b.toByteArray());
  }

  private static byte[] subscribeWithIdentifier(int packetId, String filter, int identifier) {
    ByteArrayOutputStream props = new ByteArrayOutputStream();
    props.write(0x0b);
    RawMqtt.writeVarInt(props, identifier);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(packetId >> 8);
    b.write(packetId & 0xff);
    RawMqtt.writeVarInt(b, props.size());
    b.write(props.toByteArray(), 0, props.size());
    RawMqtt.writeString(b, RawMqtt.utf8(filter));
    b.write(1);
    return RawMqtt.packet(0x82, b.toByteArray());
  }

  /** The properties of an MQTT 5 CONNACK read by {@link RawMqtt#readPacket}: id to value. */
  static Map<Integer, Object> connackProperties(byte[] connack) {
    int at = 3; // type, flags, reason
    int length = 0;
    int shift = 0;
    int digit;
    do {
      digit = connack[at++] & 0xff;
      length |= (digit & 0x7f) << shift;
      shift += 7;
    } while ((digit & 0x80) != 0);
    int end = at + length;
    Map<Integer, Object> out = new HashMap<>();
    while (at < end) {
      int id = connack[at++] & 0xff;
      switch (id) {
        case 0x24, 0x25, 0x28, 0x29, 0x2a -> out.put(id, connack[at++] & 0xff);
        case 0x13, 0x21, 0x22 -> {
          out.put(id, ((connack[at] & 0xff) << 8) | (connack[at + 1] & 0xff));
          at += 2;
        }
        case 0x11, 0x27 -> {
          out.put(
              id,
              ((long) (connack[at] & 0xff) << 24)
                  | ((connack[at + 1] & 0xff) << 16)
                  | ((connack[at + 2] & 0xff) << 8)
                  | (connack[at + 3] & 0xff));
          at += 4;
        }
        case 0x12, 0x1a, 0x1c, 0x1f -> {
          int n = ((connack[at] & 0xff) << 8) | (connack[at + 1] & 0xff);
          out.put(id, new String(connack, at + 2, n, StandardCharsets.UTF_8));
          at += 2 + n;
        }
        default ->
            throw new AssertionError("unexpected CONNACK property 0x" + Integer.toHexString(id));
      }
    }
    return out;
  }
}
