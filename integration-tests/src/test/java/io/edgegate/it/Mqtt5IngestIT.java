package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.edgegate.gateway.config.ForwardConfig;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.observe.GatewayMetrics;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MQTT 5 on ingest, end to end on a real broker: message expiry, topic aliases, negative
 * acknowledgements and refusals with their reason codes, the Receive Maximum under load, assigned
 * client identifiers, and the request/response properties as Kafka headers. Devices are the HiveMQ
 * client (an independent implementation) or hand-built packets where a client would not misbehave.
 */
@ExtendWith(GatewayHygiene.class)
class Mqtt5IngestIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  @RegisterExtension static final ClassKafka kafka = new ClassKafka();

  private static GatewayConfig config(String name) {
    GatewayConfig c = TestGateway.config(dir.resolve(name), kafka.bootstrapServers());
    c.kafka.topic = name;
    return c;
  }

  private static Mqtt5AsyncClient hivemq(String id, int port) throws Exception {
    var builder = MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1").serverPort(port);
    Mqtt5AsyncClient client = (id == null ? builder : builder.identifier(id)).buildAsync();
    client.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
    return client;
  }

  private static List<ConsumerRecord<String, byte[]>> read(String topic, int expected) {
    return KafkaTopic.readAll(kafka.bootstrapServers(), topic, expected, Duration.ofSeconds(60));
  }

  // Kafka is down until the event has expired.
  @ExpectedLogs({ExpectedLogs.KAFKA_SEND_FAILED, ExpectedLogs.EXACTLY_ONCE_FAILED})
  @ParameterizedTest
  @EnumSource(ForwardConfig.Delivery.class)
  void anEventThatExpiresBeforeItIsForwardedIsDroppedCountedAndPassed(
      ForwardConfig.Delivery delivery) throws Exception {
    KafkaBroker down = KafkaBroker.notStarted(dir.resolve("kafka-expiry-" + delivery));
    GatewayConfig c =
        TestGateway.config(dir.resolve("expiry-" + delivery), down.bootstrapServers());
    c.forward.delivery = delivery;
    MovableClock clock = new MovableClock(); // the gateway's: receive times and expiry
    try (down;
        TestGateway gw = TestGateway.start(c, clock)) {
      Mqtt5AsyncClient d = hivemq("exp-1", gw.mqttPort());
      // Kafka is down: five events that live 1 s, then one that lives an hour.
      for (int seq = 0; seq < 6; seq++) {
        Mqtt5PublishResult r =
            d.publishWith()
                .topic(Device.topic("exp-1"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(Device.payload("exp-1", seq, 0))
                .messageExpiryInterval(seq < 5 ? 1 : 3600)
                .send()
                .get(10, TimeUnit.SECONDS);
        assertThat(r.getError()).as("journaled and acknowledged").isEmpty();
      }
      clock.advance(Duration.ofMinutes(1)); // the outage outlasts the five
      if (delivery == ForwardConfig.Delivery.AT_LEAST_ONCE) {
        // The first event went to the producer as a probe before it expired: a record handed
        // over is the producer's to deliver. Kafka comes back once that attempt failed and the
        // re-send round found the five expired. (Exactly-once reads nothing before Kafka is up.)
        await().atMost(Duration.ofSeconds(60)).until(() -> gw.counter(GatewayMetrics.EXPIRED) == 5);
      }
      down.startAgain();
      for (int seq = 6; seq < 10; seq++) {
        d.publishWith()
            .topic(Device.topic("exp-1"))
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(Device.payload("exp-1", seq, 0))
            .send()
            .get(10, TimeUnit.SECONDS);
      }
      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(
              down.bootstrapServers(),
              TestGateway.TOPIC,
              5,
              Duration.ofSeconds(120),
              delivery == ForwardConfig.Delivery.EXACTLY_ONCE);
      assertThat(records).extracting(Events::seq).containsExactly(5, 6, 7, 8, 9);
      Instant deadline = Instant.parse(KafkaTopic.header(records.get(0), "mqtt_expires_at"));
      assertThat(deadline).isAfter(Instant.now().plusSeconds(3000));
      assertThat(KafkaTopic.header(records.get(1), "mqtt_expires_at")).isNull();
      // The checkpoint moved past the expired events: nothing is left to forward.
      await().atMost(Duration.ofSeconds(30)).until(() -> gw.gateway.journal().backlog() == 0);
      assertThat(gw.counter(GatewayMetrics.EXPIRED)).isEqualTo(5);
      d.disconnect().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void mqtt5PropertiesTravelAsKafkaHeadersInBothEnvelopeModes() throws Exception {
    GatewayConfig c = config("headers");
    PipelineConfig.Route structured = new PipelineConfig.Route();
    structured.match = "devices/{deviceId}/status";
    structured.format = PipelineConfig.Format.JSON;
    structured.envelope = PipelineConfig.Envelope.STRUCTURED;
    c.pipeline.routes.add(structured);
    byte[] correlation = {0, 1, 2, (byte) 0xff};
    try (TestGateway gw = TestGateway.start(c)) {
      Mqtt5AsyncClient d = hivemq("hdr-1", gw.mqttPort());
      for (String kind : List.of("telemetry", "status")) {
        d.publishWith()
            .topic("devices/hdr-1/" + kind)
            .qos(MqttQos.EXACTLY_ONCE)
            .payload("{\"seq\":1}".getBytes(StandardCharsets.UTF_8))
            .contentType("application/json")
            .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
            .responseTopic("devices/hdr-1/replies")
            .correlationData(correlation)
            .messageExpiryInterval(3600)
            .userProperties(
                Mqtt5UserProperties.builder()
                    .add("site", "north")
                    .add("site", "n-2")
                    .add("batch", "7")
                    .build())
            .send()
            .get(10, TimeUnit.SECONDS);
      }
      List<ConsumerRecord<String, byte[]>> records = read("headers", 2);
      assertThat(records).hasSize(2);
      for (ConsumerRecord<String, byte[]> r : records) {
        assertThat(KafkaTopic.header(r, "mqtt_response_topic")).isEqualTo("devices/hdr-1/replies");
        assertThat(r.headers().lastHeader("mqtt_correlation_data").value()).isEqualTo(correlation);
        assertThat(KafkaTopic.header(r, "mqtt_payload_format_indicator")).isEqualTo("1");
        assertThat(Instant.parse(KafkaTopic.header(r, "mqtt_expires_at")))
            .isAfter(Instant.now().plusSeconds(3000));
        List<String> sites = new ArrayList<>();
        for (Header h : r.headers().headers("mqtt_user_site")) {
          sites.add(new String(h.value(), StandardCharsets.UTF_8));
        }
        assertThat(sites).containsExactly("north", "n-2");
        assertThat(KafkaTopic.header(r, "mqtt_user_batch")).isEqualTo("7");
        assertThat(KafkaTopic.header(r, "mqtt_qos")).isEqualTo("2");
      }
      ConsumerRecord<String, byte[]> binary = records.get(0);
      assertThat(KafkaTopic.header(binary, "mqtt_topic")).isEqualTo("devices/hdr-1/telemetry");
      assertThat(KafkaTopic.header(binary, "content-type")).isEqualTo("application/json");
      ConsumerRecord<String, byte[]> doc = records.get(1);
      assertThat(KafkaTopic.header(doc, "content-type")).startsWith("application/cloudevents+json");
      JsonNode ce = JSON.readTree(doc.value());
      assertThat(ce.get("datacontenttype").asText()).isEqualTo("application/json");
      assertThat(ce.get("mqttresponsetopic").asText()).isEqualTo("devices/hdr-1/replies");
      assertThat(Base64.getDecoder().decode(ce.get("mqttcorrelationdata").asText()))
          .isEqualTo(correlation);
      d.disconnect().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void topicAliasesResolveWithinTheMaximumAndEveryMisuseIsDisconnectedWithItsReason()
      throws Exception {
    GatewayConfig c = config("alias-raw");
    c.mqtt.limits.topicAliasMaximum = 2;
    try (TestGateway gw = TestGateway.start(c)) {
      String a = "devices/raw-a/a";
      String b = "devices/raw-a/b";
      String x = "devices/raw-a/c";
      try (RawMqtt m = RawMqtt.open(gw.mqttPort())) {
        m.send(RawMqtt.connect5("raw-a", 30));
        assertThat(RawMqtt.reasonCode(m.readUntil(0x20, 5000))).isZero();
        byte[] alias1 = RawMqtt.twoByteProperty(RawMqtt.TOPIC_ALIAS, 1);
        byte[] alias2 = RawMqtt.twoByteProperty(RawMqtt.TOPIC_ALIAS, 2);
        String[][] sent = {{a, "1"}, {"", "1"}, {b, "2"}, {"", "2"}, {x, "1"}, {"", "1"}};
        for (int i = 0; i < sent.length; i++) {
          byte[] alias = sent[i][1].equals("1") ? alias1 : alias2;
          byte[] payload = ("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8);
          m.send(RawMqtt.publish5(sent[i][0], 1, i + 1, payload, alias));
          byte[] ack = m.readUntil(0x40, 5000);
          assertThat(RawMqtt.reasonCode(ack)).as("PUBACK %d", i).isZero();
        }
      }
      List<ConsumerRecord<String, byte[]>> records = read("alias-raw", 6);
      assertThat(records)
          .extracting(r -> KafkaTopic.header(r, "mqtt_topic"))
          .containsExactly(a, a, b, b, x, x); // alias 1 redefined to c [MQTT-3.3.2-12]

      // Aliases do not outlive their connection [MQTT-3.3.2-7]; 0 and above the maximum are
      // invalid [MQTT-3.3.2-8], [MQTT-3.3.2-9]; an empty topic needs a known alias.
      record Misuse(String topic, int alias, int reason) {}
      List<Misuse> misuses =
          List.of(
              new Misuse("", 2, 0x82),
              new Misuse(a, 3, 0x94),
              new Misuse(a, 0, 0x94),
              new Misuse("", -1, 0x82));
      for (Misuse misuse : misuses) {
        try (RawMqtt m = RawMqtt.open(gw.mqttPort())) {
          m.send(RawMqtt.connect5("raw-a", 30));
          assertThat(RawMqtt.reasonCode(m.readUntil(0x20, 5000))).isZero();
          byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
          m.send(
              misuse.alias() < 0
                  ? RawMqtt.publish5(misuse.topic(), 1, 1, payload)
                  : RawMqtt.publish5(
                      misuse.topic(),
                      1,
                      1,
                      payload,
                      RawMqtt.twoByteProperty(RawMqtt.TOPIC_ALIAS, misuse.alias())));
          byte[] disconnect = m.readUntil(0xe0, 5000);
          assertThat(disconnect).as("DISCONNECT for %s", misuse).isNotNull();
          assertThat(RawMqtt.reasonCode(disconnect))
              .as("reason for %s", misuse)
              .isEqualTo(misuse.reason());
          assertThat(m.closedWithin(5000)).isTrue();
        }
      }
      assertThat(gw.counter(GatewayMetrics.PROTOCOL_VIOLATIONS)).isEqualTo(misuses.size());
      assertThat(gw.gateway.journal().backlog()).isZero(); // nothing of them was journaled
    }
  }

  @Test
  void theHiveMqClientUsesTheTopicAliasesItIsGrantedAndNoneWhenNoneAre() throws Exception {
    for (int max : new int[] {2, 0}) {
      String name = "alias-hivemq-" + max;
      GatewayConfig c = config(name);
      c.mqtt.limits.topicAliasMaximum = max;
      try (TestGateway gw = TestGateway.start(c)) {
        Mqtt5BlockingClient d =
            MqttClient.builder()
                .useMqttVersion5()
                .identifier("hv-alias")
                .serverHost("127.0.0.1")
                .serverPort(gw.mqttPort())
                .buildBlocking();
        Mqtt5ConnAck ack = d.connect();
        assertThat(ack.getRestrictions().getTopicAliasMaximum()).isEqualTo(max);
        // The client maps topics to aliases itself, up to what the CONNACK allowed.
        assertThat(
                d.getConfig()
                    .getConnectionConfig()
                    .orElseThrow()
                    .getRestrictionsForClient()
                    .getSendTopicAliasMaximum())
            .isEqualTo(max);
        Mqtt5AsyncClient async = d.toAsync();
        List<CompletableFuture<Mqtt5PublishResult>> sends = new ArrayList<>();
        int events = 40;
        for (int seq = 0; seq < events; seq++) {
          // Four topics, more than the aliases: the client reuses and overwrites them.
          sends.add(
              async
                  .publishWith()
                  .topic("devices/hv-alias/t" + (seq % 4))
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .payload(Device.payload("hv-alias", seq, 0))
                  .send());
        }
        for (CompletableFuture<Mqtt5PublishResult> s : sends) {
          assertThat(s.get(30, TimeUnit.SECONDS).getError()).isEmpty();
        }
        List<ConsumerRecord<String, byte[]>> records = read(name, events);
        assertThat(records).hasSize(events);
        for (ConsumerRecord<String, byte[]> r : records) {
          assertThat(KafkaTopic.header(r, "mqtt_topic"))
              .isEqualTo("devices/hv-alias/t" + (Events.seq(r) % 4));
        }
        assertThat(gw.counter(GatewayMetrics.PROTOCOL_VIOLATIONS)).isZero();
        d.disconnect();
      }
    }
  }

  @Test
  void aClientWithManyInFlightStaysWithinTheReceiveMaximumAndLosesNothing() throws Exception {
    GatewayConfig c = config("receive-max");
    c.mqtt.limits.maxInflight = 5;
    try (TestGateway gw = TestGateway.start(c)) {
      Mqtt5AsyncClient d = hivemq("rm-1", gw.mqttPort());
      List<CompletableFuture<Mqtt5PublishResult>> sends = new ArrayList<>();
      int events = 2000;
      for (int seq = 0; seq < events; seq++) {
        sends.add(
            d.publishWith()
                .topic(Device.topic("rm-1"))
                .qos(seq % 2 == 0 ? MqttQos.AT_LEAST_ONCE : MqttQos.EXACTLY_ONCE)
                .payload(Device.payload("rm-1", seq, 32))
                .send());
      }
      for (CompletableFuture<Mqtt5PublishResult> s : sends) {
        assertThat(s.get(60, TimeUnit.SECONDS).getError()).isEmpty();
      }
      List<ConsumerRecord<String, byte[]>> records = read("receive-max", events);
      Map<String, List<Integer>> byDevice = Events.byDevice(records);
      assertThat(byDevice.get("rm-1")).hasSize(events).doesNotHaveDuplicates();
      assertThat(
              DeviceSecurityIT.counter(
                  gw, GatewayMetrics.CONNECTIONS_CLOSED, "receive-maximum-exceeded"))
          .isZero();
      assertThat(d.getState().isConnected()).isTrue();
      d.disconnect().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void anEmptyClientIdIsAssignedOneThatKeysItsEvents() throws Exception {
    try (TestGateway gw = TestGateway.start(config("assigned"))) {
      Mqtt5BlockingClient d =
          MqttClient.builder()
              .useMqttVersion5()
              .serverHost("127.0.0.1")
              .serverPort(gw.mqttPort())
              .buildBlocking();
      Mqtt5ConnAck ack = d.connectWith().cleanStart(true).send();
      // [MQTT-3.2.2-16] a zero-length client id is answered with an Assigned Client Identifier.
      String assigned = ack.getAssignedClientIdentifier().orElseThrow().toString();
      assertThat(assigned).isNotEmpty();
      d.publishWith()
          .topic(Device.topic(assigned))
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(Device.payload(assigned, 0, 0))
          .send();
      ConsumerRecord<String, byte[]> r = read("assigned", 1).get(0);
      assertThat(r.key()).isEqualTo(assigned);
      assertThat(KafkaTopic.header(r, "ce_source")).endsWith("/" + assigned);
      d.disconnect();
    }
  }

  @Test
  void aPacketOverTheMaximumPacketSizeIsDisconnectedWith0x95() throws Exception {
    GatewayConfig c = config("too-large");
    c.mqtt.maxMessageSize = 1024;
    try (TestGateway gw = TestGateway.start(c)) {
      try (RawMqtt m = RawMqtt.open(gw.mqttPort())) {
        m.send(RawMqtt.connect5("big-1", 30));
        assertThat(RawMqtt.reasonCode(m.readUntil(0x20, 5000))).isZero();
        m.send(RawMqtt.publish5(Device.topic("big-1"), 1, 1, new byte[4096]));
        byte[] disconnect = m.readUntil(0xe0, 5000);
        assertThat(disconnect).isNotNull();
        assertThat(RawMqtt.reasonCode(disconnect)).isEqualTo(0x95);
        assertThat(m.closedWithin(5000)).isTrue();
      }
      // MQTT 3.1.1 has no DISCONNECT from the server: the connection is closed.
      try (RawMqtt m = RawMqtt.open(gw.mqttPort())) {
        m.send(RawMqtt.connect(4, "big-2", 30));
        assertThat(m.readPacket(5000)[0] & 0xf0).isEqualTo(0x20);
        m.send(RawMqtt.publish(4, Device.topic("big-2"), 1, 1, "x".repeat(4096)));
        assertThat(m.closedWithin(5000)).isTrue();
      }
      assertThat(gw.gateway.journal().backlog()).isZero();
    }
  }

  @Test
  void aPayloadThatIsNotTheUtf8ItClaimsIsRefusedWith0x99() throws Exception {
    try (TestGateway gw = TestGateway.start(config("payload-format"))) {
      byte[] utf8 = RawMqtt.byteProperty(RawMqtt.PAYLOAD_FORMAT_INDICATOR, 1);
      byte[] notUtf8 = {'{', (byte) 0xff, (byte) 0xfe, '}'};
      try (RawMqtt m = RawMqtt.open(gw.mqttPort())) {
        m.send(RawMqtt.connect5("pf-1", 30));
        assertThat(RawMqtt.reasonCode(m.readUntil(0x20, 5000))).isZero();
        m.send(RawMqtt.publish5(Device.topic("pf-1"), 1, 1, notUtf8, utf8));
        byte[] puback = m.readUntil(0x40, 5000);
        assertThat(RawMqtt.reasonCode(puback)).as("PUBACK").isEqualTo(0x99);
        assertThat(puback.length).as("with a Reason String").isGreaterThan(6);
        assertThat(puback[5]).isEqualTo((byte) 0x1f);
        m.send(RawMqtt.publish5(Device.topic("pf-1"), 2, 2, notUtf8, utf8));
        assertThat(RawMqtt.reasonCode(m.readUntil(0x50, 5000))).as("PUBREC").isEqualTo(0x99);
        // The same bytes without the indicator are just bytes; valid UTF-8 with it is text.
        m.send(RawMqtt.publish5(Device.topic("pf-1"), 1, 3, notUtf8));
        assertThat(RawMqtt.reasonCode(m.readUntil(0x40, 5000))).isZero();
        byte[] text = "{\"seq\":4,\"t\":\"21.5°C\"}".getBytes(StandardCharsets.UTF_8);
        m.send(RawMqtt.publish5(Device.topic("pf-1"), 1, 4, text, utf8));
        assertThat(RawMqtt.reasonCode(m.readUntil(0x40, 5000))).isZero();
      }
      // A device that asked for no problem information gets the code alone [MQTT-3.1.2-29].
      try (RawMqtt m = RawMqtt.open(gw.mqttPort())) {
        m.send(RawMqtt.connect5("pf-2", 30, RawMqtt.byteProperty(0x17, 0)));
        assertThat(RawMqtt.reasonCode(m.readUntil(0x20, 5000))).isZero();
        m.send(RawMqtt.publish5(Device.topic("pf-2"), 1, 1, notUtf8, utf8));
        byte[] puback = m.readUntil(0x40, 5000);
        assertThat(RawMqtt.reasonCode(puback)).isEqualTo(0x99);
        assertThat(puback.length <= 4 || puback[4] == 0).as("no properties").isTrue();
      }
      List<ConsumerRecord<String, byte[]>> records = read("payload-format", 2);
      assertThat(records).hasSize(2);
      assertThat(KafkaTopic.header(records.get(0), "mqtt_payload_format_indicator")).isNull();
      assertThat(KafkaTopic.header(records.get(1), "mqtt_payload_format_indicator")).isEqualTo("1");
      assertThat(DeviceSecurityIT.counter(gw, GatewayMetrics.REFUSED, "payload-format-invalid"))
          .isEqualTo(3);
    }
  }

  @Test
  void aSilentMqtt5DeviceIsToldKeepAliveTimeout0x8D() throws Exception {
    GatewayConfig c = config("keep-alive");
    c.mqtt.limits.maxKeepAlive = Duration.ofSeconds(1);
    try (TestGateway gw = TestGateway.start(c)) {
      try (RawMqtt m = RawMqtt.open(gw.mqttPort())) {
        m.send(RawMqtt.connect5("ka-5", 1));
        assertThat(RawMqtt.reasonCode(m.readUntil(0x20, 5000))).isZero();
        // Silent for more than 1.5 x its keep-alive [MQTT-3.1.2-24].
        byte[] disconnect = m.readUntil(0xe0, 10_000);
        assertThat(disconnect).isNotNull();
        assertThat(RawMqtt.reasonCode(disconnect)).isEqualTo(0x8d);
        assertThat(m.closedWithin(5000)).isTrue();
      }
      assertThat(
              DeviceSecurityIT.counter(gw, GatewayMetrics.CONNECTIONS_CLOSED, "keep-alive-timeout"))
          .isEqualTo(1);
    }
  }

  @Test
  void enhancedAuthenticationIsRefusedWith0x8C() throws Exception {
    try (TestGateway gw = TestGateway.start(config("auth-method"))) {
      try (RawMqtt m = RawMqtt.open(gw.mqttPort())) {
        m.send(
            RawMqtt.connect5(
                "am-1", 30, RawMqtt.stringProperty(RawMqtt.AUTHENTICATION_METHOD, "SCRAM-SHA-1")));
        assertThat(RawMqtt.reasonCode(m.readUntil(0x20, 5000))).isEqualTo(0x8c);
        assertThat(m.closedWithin(5000)).isTrue();
      }
      assertThat(
              DeviceSecurityIT.counter(
                  gw, GatewayMetrics.CONNECTIONS_REFUSED, "bad-authentication-method"))
          .isEqualTo(1);
    }
  }
}
