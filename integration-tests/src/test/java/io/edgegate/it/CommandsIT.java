package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.kafka.embedded.FreePorts;
import io.edgegate.testsupport.GatewayHygiene;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands from Kafka to devices, end to end with a real broker and real MQTT 5 clients: delivery
 * to an online device with request/response, queueing for an offline device across a gateway
 * restart, the refusals (no session, not subscribed, ACL, queue full, too large, expired, invalid),
 * and Kafka down while a queued command is delivered.
 */
@ExtendWith(GatewayHygiene.class)
class CommandsIT {
  @TempDir Path dir;

  private static final String COMMANDS = "edgegate.commands";
  private static final String OUTCOMES = "edgegate.command-outcomes";
  private static final String RESPONSES = "edgegate.command-responses";

  private static GatewayConfig config(Path dir, KafkaBroker kafka) {
    GatewayConfig c = TestGateway.config(dir, kafka.bootstrapServers());
    c.commands.enabled = true;
    return c;
  }

  /** The configuration file of a gateway process with commands, for the kill tests. */
  private Path processConfig(KafkaBroker kafka, String id, int port) throws Exception {
    return GatewayProcess.writeConfig(
        dir.resolve("gateway.yaml"),
        id,
        dir.resolve("gw"),
        port,
        kafka.bootstrapServers(),
        "commands: {enabled: true}");
  }

  private static void createTopics(KafkaBroker kafka) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(COMMANDS, 3, (short) 1),
                  new NewTopic(OUTCOMES, 1, (short) 1),
                  new NewTopic(RESPONSES, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static KafkaProducer<String, byte[]> producer(KafkaBroker kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** Sends one command; headers as name, value pairs. */
  private static void command(
      KafkaProducer<String, byte[]> p, String device, String payload, String... headers)
      throws Exception {
    command(p, null, device, payload, headers);
  }

  private static void command(
      KafkaProducer<String, byte[]> p, Long timestamp, String device, String payload, String... h)
      throws Exception {
    ProducerRecord<String, byte[]> r =
        new ProducerRecord<>(
            COMMANDS, null, timestamp, device, payload.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < h.length; i += 2) {
      r.headers().add(h[i], h[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    p.send(r).get(30, TimeUnit.SECONDS);
  }

  /** The outcomes so far, once at least {@code expected} are there. */
  private static List<JsonObject> outcomes(KafkaBroker kafka, int expected) {
    List<ConsumerRecord<String, byte[]>> records =
        KafkaTopic.readAll(kafka.bootstrapServers(), OUTCOMES, expected, Duration.ofSeconds(60));
    for (ConsumerRecord<String, byte[]> r : records) {
      JsonObject o = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
      assertThat(KafkaTopic.header(r, "command_id")).isEqualTo(o.getString("commandId"));
      assertThat(r.key()).isEqualTo(o.getString("deviceId"));
    }
    return records.stream()
        .map(r -> new JsonObject(new String(r.value(), StandardCharsets.UTF_8)))
        .toList();
  }

  /** commandId → "outcome[:reason]" list, in order. */
  private static Map<String, List<String>> byCommand(List<JsonObject> outcomes) {
    return outcomes.stream()
        .collect(
            Collectors.groupingBy(
                o -> o.getString("commandId"),
                Collectors.mapping(
                    o ->
                        o.getString("outcome")
                            + (o.getString("reason") == null ? "" : ":" + o.getString("reason")),
                    Collectors.toList())));
  }

  /** An MQTT 5 device that records every PUBLISH it receives (set up before it connects). */
  private static final class Receiver implements AutoCloseable {
    final Mqtt5AsyncClient client;
    final ConcurrentLinkedQueue<Mqtt5Publish> received = new ConcurrentLinkedQueue<>();

    Receiver(String id, int port, boolean cleanStart, long expiry, int maxPacketSize)
        throws Exception {
      var builder =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier(id)
              .serverHost("127.0.0.1")
              .serverPort(port);
      client = builder.buildAsync();
      client.publishes(MqttGlobalPublishFilter.ALL, received::add);
      var connect = client.connectWith().cleanStart(cleanStart).sessionExpiryInterval(expiry);
      if (maxPacketSize > 0) {
        connect = connect.restrictions().maximumPacketSize(maxPacketSize).applyRestrictions();
      }
      connect.send().get(10, TimeUnit.SECONDS);
    }

    Receiver(String id, int port) throws Exception {
      this(id, port, true, 0, 0);
    }

    Mqtt5SubAckReasonCode subscribe(String filter, MqttQos qos) throws Exception {
      try {
        return client
            .subscribeWith()
            .topicFilter(filter)
            .qos(qos)
            .send()
            .get(10, TimeUnit.SECONDS)
            .getReasonCodes()
            .get(0);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause()
            instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException s) {
          return s.getMqttMessage().getReasonCodes().get(0);
        }
        throw e;
      }
    }

    @Override
    public void close() throws Exception {
      client.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  private static String text(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void anOnlineDeviceGetsItsCommandsAndItsResponseGoesToKafka() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      createTopics(kafka);
      try (TestGateway gw = TestGateway.start(config(dir.resolve("gw"), kafka));
          KafkaProducer<String, byte[]> producer = producer(kafka);
          Receiver device = new Receiver("on-1", gw.mqttPort())) {
        assertThat(device.subscribe("devices/on-1/commands/#", MqttQos.EXACTLY_ONCE))
            .isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_2);
        command(
            producer,
            "on-1",
            "{\"delay\":5}",
            "command_name",
            "reboot",
            "command_id",
            "cmd-42",
            "command_response",
            "true",
            "content_type",
            "application/json");
        command(producer, "on-1", "{\"led\":true}", "command_name", "led", "command_qos", "2");
        await().atMost(Duration.ofSeconds(30)).until(() -> device.received.size() == 2);
        Mqtt5Publish reboot = device.received.poll();
        assertThat(reboot.getTopic().toString()).isEqualTo("devices/on-1/commands/reboot");
        assertThat(new String(reboot.getPayloadAsBytes(), StandardCharsets.UTF_8))
            .isEqualTo("{\"delay\":5}");
        assertThat(reboot.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        assertThat(reboot.getResponseTopic().orElseThrow().toString())
            .isEqualTo("devices/on-1/responses/reboot");
        assertThat(text(reboot.getCorrelationData().orElseThrow())).isEqualTo("cmd-42");
        assertThat(reboot.getContentType().orElseThrow().toString()).isEqualTo("application/json");
        assertThat(reboot.getMessageExpiryInterval()).as("time left of the 1h default").isPresent();
        Mqtt5Publish led = device.received.poll();
        assertThat(led.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);

        // The device answers on the response topic with the correlation data.
        device
            .client
            .publishWith()
            .topic(reboot.getResponseTopic().orElseThrow())
            .correlationData(reboot.getCorrelationData().orElseThrow())
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload("{\"ok\":true}".getBytes(StandardCharsets.UTF_8))
            .send()
            .get(10, TimeUnit.SECONDS);

        Map<String, List<String>> outcomes = byCommand(outcomes(kafka, 2));
        assertThat(outcomes.get("cmd-42")).containsExactly("delivered");
        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.values()).allMatch(o -> o.equals(List.of("delivered")));
        var registry = gw.gateway.metrics().registry();
        assertThat(registry.find("edgegate.commands").tag("outcome", "delivered").counter().count())
            .isEqualTo(2);
        assertThat(registry.find("edgegate.mqtt.sessions").gauge().value()).isEqualTo(1);
        assertThat(registry.find("edgegate.commands.queued").gauge().value()).isZero();
        var responses =
            KafkaTopic.readAll(kafka.bootstrapServers(), RESPONSES, 1, Duration.ofSeconds(60));
        assertThat(responses).hasSize(1);
        assertThat(responses.get(0).key()).isEqualTo("on-1");
        assertThat(new String(responses.get(0).value(), StandardCharsets.UTF_8))
            .contains("\"ok\":true");
        assertThat(KafkaTopic.header(responses.get(0), "mqtt_correlation_data"))
            .isEqualTo("cmd-42");
      }
    }
  }

  @Test
  void anOfflineDeviceGetsItsQueuedCommandAfterAGatewayRestartExactlyOnce() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      createTopics(kafka);
      GatewayConfig config = config(dir.resolve("gw"), kafka);
      try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
        try (TestGateway gw = TestGateway.start(config)) {
          try (Receiver device = new Receiver("off-1", gw.mqttPort(), false, 3600, 0)) {
            device.subscribe("devices/off-1/commands/#", MqttQos.AT_LEAST_ONCE);
          }
          command(
              producer, "off-1", "{\"fw\":\"2.1\"}", "command_name", "update", "command_id", "u1");
          assertThat(byCommand(outcomes(kafka, 1)).get("u1")).containsExactly("queued:offline");
        }
        // A new gateway on the same data directory: the session and its queue are back, and the
        // settled record is not read again.
        try (TestGateway gw = TestGateway.start(config);
            Receiver device = new Receiver("off-1", gw.mqttPort(), false, 3600, 0)) {
          await().atMost(Duration.ofSeconds(30)).until(() -> device.received.size() >= 1);
          Mqtt5Publish p = device.received.peek();
          assertThat(p.getTopic().toString()).isEqualTo("devices/off-1/commands/update");
          Map<String, List<String>> outcomes = byCommand(outcomes(kafka, 2));
          assertThat(outcomes.get("u1")).containsExactly("queued:offline", "delivered");
          assertThat(device.received).hasSize(1);
        }
      }
    }
  }

  @Test
  void commandsThatCannotBeDeliveredAreRefusedWithTheReason() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      createTopics(kafka);
      GatewayConfig config = config(dir.resolve("gw"), kafka);
      config.mqtt.sessions.maxQueued = 1;
      try (TestGateway gw = TestGateway.start(config);
          KafkaProducer<String, byte[]> producer = producer(kafka);
          Receiver plain = new Receiver("plain", gw.mqttPort());
          Receiver nosy = new Receiver("nosy", gw.mqttPort());
          Receiver small = new Receiver("small", gw.mqttPort(), true, 0, 200)) {
        assertThat(nosy.subscribe("devices/other/commands/#", MqttQos.AT_LEAST_ONCE))
            .as("the ACL confines a device to its own commands")
            .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(nosy.subscribe("$share/g/devices/nosy/commands/#", MqttQos.AT_LEAST_ONCE))
            .isEqualTo(Mqtt5SubAckReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED);
        small.subscribe("devices/small/commands/#", MqttQos.AT_LEAST_ONCE);
        try (Receiver full = new Receiver("full", gw.mqttPort(), false, 3600, 0)) {
          full.subscribe("devices/full/commands/#", MqttQos.AT_LEAST_ONCE);
        }
        command(producer, "ghost", "{}", "command_id", "r-ghost");
        command(producer, "plain", "{}", "command_id", "r-plain");
        command(producer, "nosy", "{}", "command_id", "r-nosy");
        command(producer, "full", "{}", "command_id", "r-full-1");
        command(producer, "full", "{}", "command_id", "r-full-2");
        command(producer, "small", "x".repeat(500), "command_id", "r-small");
        command(
            producer,
            System.currentTimeMillis() - 60_000,
            "small",
            "{}",
            "command_id",
            "r-old",
            "command_ttl",
            "30s");
        command(producer, "small", "{}", "command_id", "r-qos", "command_qos", "7");
        Map<String, List<String>> outcomes = byCommand(outcomes(kafka, 8));
        assertThat(outcomes)
            .containsEntry("r-ghost", List.of("refused:no-session"))
            .containsEntry("r-plain", List.of("refused:not-subscribed"))
            .containsEntry("r-nosy", List.of("refused:not-subscribed"))
            .containsEntry("r-full-1", List.of("queued:offline"))
            .containsEntry("r-full-2", List.of("refused:queue-full"))
            .containsEntry("r-small", List.of("refused:too-large"))
            .containsEntry("r-old", List.of("expired:ttl"))
            .containsEntry("r-qos", List.of("refused:invalid-qos"));
        assertThat(plain.received).isEmpty();
        assertThat(small.received).isEmpty();
      }
    }
  }

  @Test
  void aQueuedCommandIsDeliveredWhileKafkaIsDownAndItsOutcomeFollowsWhenKafkaIsBack()
      throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      createTopics(kafka);
      try (TestGateway gw = TestGateway.start(config(dir.resolve("gw"), kafka));
          KafkaProducer<String, byte[]> producer = producer(kafka)) {
        try (Receiver device = new Receiver("dn-1", gw.mqttPort(), false, 3600, 0)) {
          device.subscribe("devices/dn-1/commands/#", MqttQos.AT_LEAST_ONCE);
        }
        command(producer, "dn-1", "{}", "command_id", "k1");
        assertThat(byCommand(outcomes(kafka, 1)).get("k1")).containsExactly("queued:offline");
        kafka.stop();
        try (Receiver device = new Receiver("dn-1", gw.mqttPort(), false, 3600, 0)) {
          await().atMost(Duration.ofSeconds(30)).until(() -> device.received.size() == 1);
        }
        kafka.startAgain();
        assertThat(byCommand(outcomes(kafka, 2)).get("k1"))
            .containsExactly("queued:offline", "delivered");
      }
    }
  }

  /** The packet id of a received QoS 1/2 PUBLISH (after its topic). */
  private static int publishPacketId(byte[] p) {
    int topicLength = ((p[1] & 0xff) << 8) | (p[2] & 0xff);
    return ((p[3 + topicLength] & 0xff) << 8) | (p[4 + topicLength] & 0xff);
  }

  @Test
  void aCommandInFlightWhenTheGatewayStopsIsSentAgainWithDupAfterTheRestart() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      createTopics(kafka);
      GatewayConfig config = config(dir.resolve("gw"), kafka);
      int packetId;
      try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
        try (TestGateway gw = TestGateway.start(config);
            RawMqtt d = RawMqtt.open(gw.mqttPort())) {
          SessionIT.connect(d, 5, "mid-1", false, 3600);
          d.send(RawMqtt.subscribe(5, 1, "devices/mid-1/commands/#", 1));
          SessionIT.expect(d, 0x90);
          command(producer, "mid-1", "{\"step\":1}", "command_id", "m1");
          byte[] first = SessionIT.expect(d, 0x30);
          assertThat(first[0] & 0x08).as("first attempt: DUP=0").isZero();
          packetId = publishPacketId(first);
          // No PUBACK: the gateway stops with the command in flight.
        }
        assertThat(byCommand(outcomes(kafka, 1)).get("m1")).containsExactly("queued:offline");
        try (TestGateway gw = TestGateway.start(config);
            RawMqtt d = RawMqtt.open(gw.mqttPort())) {
          byte[] connack = SessionIT.connect(d, 5, "mid-1", false, 3600);
          assertThat(connack[1]).isEqualTo((byte) 1);
          byte[] again = SessionIT.expect(d, 0x30);
          // [MQTT-4.4.0-1] the unacknowledged PUBLISH again, same packet id, DUP=1.
          assertThat(again[0] & 0x08).isEqualTo(0x08);
          assertThat(publishPacketId(again)).isEqualTo(packetId);
          d.send(RawMqtt.ack(0x40, packetId));
          assertThat(byCommand(outcomes(kafka, 2)).get("m1"))
              .containsExactly("queued:offline", "delivered");
          assertThat(d.readPacketOrNull(500)).as("the settled record is not read again").isNull();
        }
      }
    }
  }

  @Test
  void noMoreThanTheDevicesReceiveMaximumIsUnacknowledgedAtOnce() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      createTopics(kafka);
      try (TestGateway gw = TestGateway.start(config(dir.resolve("gw"), kafka));
          KafkaProducer<String, byte[]> producer = producer(kafka);
          RawMqtt d = RawMqtt.open(gw.mqttPort())) {
        d.send(RawMqtt.connect5("rm-1", 60, 1)); // Receive Maximum 1
        SessionIT.expect(d, 0x20);
        d.send(RawMqtt.subscribe(5, 1, "devices/rm-1/commands/#", 1));
        SessionIT.expect(d, 0x90);
        command(producer, "rm-1", "{\"n\":1}", "command_id", "n1");
        command(producer, "rm-1", "{\"n\":2}", "command_id", "n2");
        byte[] first = SessionIT.expect(d, 0x30);
        // [MQTT-3.3.4-9] the second waits for the first's PUBACK (both were read from Kafka).
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> gw.gateway.sessions().get("rm-1").queued() == 2);
        assertThat(d.readPacketOrNull(300)).isNull();
        d.send(RawMqtt.ack(0x40, publishPacketId(first)));
        byte[] second = SessionIT.expect(d, 0x30);
        assertThat(new String(second, StandardCharsets.UTF_8)).contains("\"n\":2");
        d.send(RawMqtt.ack(0x40, publishPacketId(second)));
        assertThat(byCommand(outcomes(kafka, 2)))
            .containsEntry("n1", List.of("delivered"))
            .containsEntry("n2", List.of("delivered"));
      }
    }
  }

  @Test
  void anMqtt311DeviceWithCleanSessionFalseGetsWhatWasQueuedWhileItWasAway() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      createTopics(kafka);
      try (TestGateway gw = TestGateway.start(config(dir.resolve("gw"), kafka));
          KafkaProducer<String, byte[]> producer = producer(kafka)) {
        String url = "tcp://127.0.0.1:" + gw.mqttPort();
        var options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        options.setCleanSession(false);
        options.setMqttVersion(
            org.eclipse.paho.client.mqttv3.MqttConnectOptions.MQTT_VERSION_3_1_1);
        var persistence = new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence();
        var received = new ConcurrentLinkedQueue<String>();
        var client = new org.eclipse.paho.client.mqttv3.MqttClient(url, "paho-311", persistence);
        client.connect(options);
        client.subscribe("devices/paho-311/commands/#", 2);
        client.disconnect();
        command(producer, "paho-311", "{\"v\":1}", "command_qos", "2", "command_id", "p1");
        assertThat(byCommand(outcomes(kafka, 1)).get("p1")).containsExactly("queued:offline");
        client.setCallback(
            new org.eclipse.paho.client.mqttv3.MqttCallback() {
              @Override
              public void connectionLost(Throwable cause) {}

              @Override
              public void messageArrived(
                  String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                received.add(
                    topic + " " + message.getQos() + " " + new String(message.getPayload()));
              }

              @Override
              public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken t) {}
            });
        client.connect(options);
        await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        assertThat(received).containsExactly("devices/paho-311/commands/command 2 {\"v\":1}");
        assertThat(byCommand(outcomes(kafka, 2)).get("p1"))
            .containsExactly("queued:offline", "delivered");
        client.disconnect();
        client.close();
      }
    }
  }

  @Test
  void aQueuedCommandSurvivesAGatewayKillAndIsDeliveredOnce() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      createTopics(kafka);
      int port = FreePorts.one();
      Path config = processConfig(kafka, "kill", port);
      try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
        try (GatewayProcess gw = GatewayProcess.start(config, dir.resolve("logs"), "before")) {
          try (Receiver device = new Receiver("kill-1", port, false, 3600, 0)) {
            device.subscribe("devices/kill-1/commands/#", MqttQos.EXACTLY_ONCE);
          }
          command(producer, "kill-1", "{}", "command_id", "x1", "command_qos", "2");
          assertThat(byCommand(outcomes(kafka, 1)).get("x1")).containsExactly("queued:offline");
          gw.kill(); // SIGKILL: the queue is on disk since before the outcome was written
        }
        try (GatewayProcess gw = GatewayProcess.start(config, dir.resolve("logs"), "after");
            Receiver device = new Receiver("kill-1", port, false, 3600, 0)) {
          await().atMost(Duration.ofSeconds(30)).until(() -> !device.received.isEmpty());
          assertThat(byCommand(outcomes(kafka, 2)).get("x1"))
              .containsExactly("queued:offline", "delivered");
          assertThat(device.received).hasSize(1);
          assertThat(device.received.peek().getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
        }
      }
    }
  }

  @Test
  void aCommandUnacknowledgedWhenTheGatewayIsKilledIsReadAgainNotLost() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      createTopics(kafka);
      int port = FreePorts.one();
      Path config = processConfig(kafka, "unacked", port);
      try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
        try (GatewayProcess gw = GatewayProcess.start(config, dir.resolve("logs"), "before");
            RawMqtt d = RawMqtt.open(port)) {
          SessionIT.connect(d, 5, "ua-1", false, 3600);
          d.send(RawMqtt.subscribe(5, 1, "devices/ua-1/commands/#", 1));
          SessionIT.expect(d, 0x90);
          command(producer, "ua-1", "{}", "command_id", "ua");
          SessionIT.expect(d, 0x30); // received, never acknowledged
          gw.kill(); // the offset was not committed: the command is not settled
        }
        try (GatewayProcess gw = GatewayProcess.start(config, dir.resolve("logs"), "after");
            RawMqtt d = RawMqtt.open(port)) {
          byte[] connack = SessionIT.connect(d, 5, "ua-1", false, 3600);
          assertThat(connack[1]).as("subscriptions were saved before SUBACK").isEqualTo((byte) 1);
          byte[] again = SessionIT.expect(d, 0x30); // at least once: read again from Kafka
          assertThat(new String(again, StandardCharsets.UTF_8)).contains("devices/ua-1/commands");
          d.send(RawMqtt.ack(0x40, publishPacketId(again)));
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      byCommand(outcomes(kafka, 1))
                          .getOrDefault("ua", List.of())
                          .contains("delivered"));
        }
      }
    }
  }
}
