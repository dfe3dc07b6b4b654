package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.session.Session;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The interoperability matrix: independent MQTT clients, each at every QoS it supports, publish to
 * one gateway with a real Kafka broker, and each event is found in Kafka with the right key and
 * headers (the MQTT 5 clients also send a content type and a user property, which must arrive as
 * {@code content-type} and {@code mqtt_user_interop}). A client that is not installed is skipped
 * with a message saying how to get it ({@code integration-tests/install-clients} runs before the
 * integration tests). The matrix, with each cell's outcome, is printed at the end.
 *
 * <p>The receive column, {@link #receives}: each client subscribes to its commands at every QoS, a
 * command is produced to Kafka at that QoS, and the client must get it (topic, payload, QoS, and
 * for MQTT 5 clients the content type, Response Topic and Correlation Data = command id); the
 * outcome {@code delivered} must be in the outcomes topic. The in-process MQTT 5 clients also
 * answer on the response topic, and the answer must be in the responses topic with the command id
 * as its correlation header.
 */
@ExtendWith(GatewayHygiene.class)
class InteroperabilityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "interop";
  private static final String DEFAULT_CONTENT_TYPE = "application/x-edgegate-default";
  private static final String COMMANDS = "edgegate.commands";
  private static final String OUTCOMES = "edgegate.command-outcomes";
  private static final String RESPONSES = "edgegate.command-responses";
  private static final String COMMAND_NAME = "interop";
  private static final Duration WAIT = Duration.ofSeconds(30);
  // client -> "publish qos N" / "receive qos N" -> outcome, for the printed matrix
  private static final Map<String, Map<String, String>> MATRIX = new ConcurrentHashMap<>();

  @TempDir static Path dir;
  @RegisterExtension static final ClassKafka kafka = new ClassKafka();
  static TestGateway gw;
  static KafkaProducer<String, byte[]> commands;

  @BeforeAll
  static void start() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(COMMANDS, 1, (short) 1),
                  new NewTopic(OUTCOMES, 1, (short) 1),
                  new NewTopic(RESPONSES, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    GatewayConfig c = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
    c.kafka.topic = TOPIC;
    c.pipeline.contentType = DEFAULT_CONTENT_TYPE; // what an event without a content type gets
    c.commands.enabled = true;
    gw = TestGateway.start(c);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    commands = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stop() throws Exception {
    commands.close(Duration.ofSeconds(10));
    gw.close();
    StringBuilder table = new StringBuilder("[matrix] client | QoS | direction | result\n");
    new TreeMap<>(MATRIX)
        .forEach(
            (client, cells) ->
                new TreeMap<>(cells)
                    .forEach(
                        (cell, result) ->
                            table
                                .append("[matrix] ")
                                .append(client)
                                .append(" | ")
                                .append(cell)
                                .append(" | ")
                                .append(result)
                                .append('\n')));
    System.out.print(table);
  }

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (MqttClients.Driver d : MqttClients.all()) {
      for (int qos = 0; qos <= 2; qos++) {
        cells.add(Arguments.of(d, qos));
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} publishes at QoS {1}")
  @MethodSource("cells")
  void publishes(MqttClients.Driver client, int qos) throws Exception {
    String cell = "QoS " + qos + " | publish";
    String missing = client.missing();
    if (missing != null) {
      note(client, cell, "skipped: " + missing);
      abort(client + " is not available: " + missing);
    }
    String clientId = "interop-" + client.id() + "-q" + qos;
    String topic = "devices/" + clientId + "/telemetry";
    String marker = UUID.randomUUID().toString();
    String payload =
        "{\"client\":\"" + client + "\",\"qos\":" + qos + ",\"marker\":\"" + marker + "\"}";
    note(client, cell, "FAILED");
    client.publish(gw.mqttPort(), clientId, topic, qos, payload);

    ConsumerRecord<String, byte[]> r = find(TOPIC, valueContains(marker), Duration.ofSeconds(60));
    assertThat(r).as("the event of %s at QoS %d in Kafka", client, qos).isNotNull();
    assertThat(r.key()).isEqualTo(clientId);
    assertThat(KafkaTopic.header(r, "mqtt_topic")).isEqualTo(topic);
    assertThat(KafkaTopic.header(r, "mqtt_qos")).isEqualTo(Integer.toString(qos));
    assertThat(KafkaTopic.header(r, "ce_source")).isEqualTo("edgegate://it/" + clientId);
    assertThat(KafkaTopic.header(r, "ce_id")).isNotBlank();
    assertThat(JSON.readTree(r.value()).get("marker").asText()).isEqualTo(marker);
    if (client.mqtt5()) {
      assertThat(KafkaTopic.header(r, "content-type")).isEqualTo("application/json");
      assertThat(KafkaTopic.header(r, "mqtt_user_interop")).isEqualTo(client.id());
    } else {
      assertThat(KafkaTopic.header(r, "content-type")).isEqualTo(DEFAULT_CONTENT_TYPE);
      assertThat(KafkaTopic.header(r, "mqtt_user_interop")).isNull();
    }
    note(client, cell, "ok");
  }

  /**
   * The receive column: the client subscribes to its commands at this QoS (the default ACL allows
   * {@code devices/<its id>/commands/#}), a command is produced to Kafka at this QoS, and the
   * client gets it; its outcome is {@code delivered}. The command asks for a response: MQTT 5
   * clients get Response Topic and Correlation Data, MQTT 3.1.1 clients the plain message.
   */
  @ParameterizedTest(name = "{0} receives at QoS {1}")
  @MethodSource("cells")
  void receives(MqttClients.Driver client, int qos) throws Exception {
    String cell = "QoS " + qos + " | receive";
    String missing = client.missing();
    if (missing != null) {
      note(client, cell, "skipped: " + missing);
      abort(client + " is not available: " + missing);
    }
    String clientId = "interop-rx-" + client.id() + "-q" + qos;
    String filter = "devices/" + clientId + "/commands/#";
    String marker = UUID.randomUUID().toString();
    String commandId = "cmd-" + client.id() + "-q" + qos + "-" + marker;
    String payload = "{\"qos\":" + qos + ",\"marker\":\"" + marker + "\"}";
    note(client, cell, "FAILED");
    String result = "ok";
    try (MqttClients.Subscription device = client.subscribe(gw.mqttPort(), clientId, filter, qos)) {
      assertThat(device.granted()).as("granted QoS").isEqualTo(qos);
      // The gateway holds the subscription (it does before its SUBACK): a command now matches it.
      await()
          .atMost(WAIT)
          .until(
              () -> {
                Session s = gw.gateway.sessions().get(clientId);
                return s != null && s.subscriptions().containsKey(filter);
              });
      ProducerRecord<String, byte[]> command =
          new ProducerRecord<>(COMMANDS, clientId, payload.getBytes(StandardCharsets.UTF_8));
      header(command, "command_name", COMMAND_NAME);
      header(command, "command_id", commandId);
      header(command, "command_qos", Integer.toString(qos));
      header(command, "command_response", "true");
      header(command, "content_type", MqttClients.CONTENT_TYPE);
      commands.send(command).get(30, TimeUnit.SECONDS);

      MqttClients.Received r = device.next(WAIT);
      assertThat(r).as("the command at QoS %d to %s", qos, device).isNotNull();
      assertThat(r.topic()).isEqualTo("devices/" + clientId + "/commands/" + COMMAND_NAME);
      assertThat(r.payload()).isEqualTo(payload);
      assertThat(r.qos()).isEqualTo(qos);
      String responseTopic = "devices/" + clientId + "/responses/" + COMMAND_NAME;
      if (client.mqtt5()) {
        assertThat(r.contentType()).isEqualTo(MqttClients.CONTENT_TYPE);
        assertThat(r.responseTopic()).isEqualTo(responseTopic);
        assertThat(r.correlationData()).isEqualTo(commandId);
      } else {
        assertThat(r.contentType()).isNull();
        assertThat(r.responseTopic()).isNull();
        assertThat(r.correlationData()).isNull();
      }

      ConsumerRecord<String, byte[]> outcome =
          find(OUTCOMES, o -> commandId.equals(KafkaTopic.header(o, "command_id")), WAIT);
      assertThat(outcome).as("the outcome of %s", commandId).isNotNull();
      assertThat(outcome.key()).isEqualTo(clientId);
      JsonNode o = JSON.readTree(outcome.value());
      assertThat(o.get("outcome").asText()).isEqualTo("delivered");
      assertThat(o.get("qos").asInt()).isEqualTo(qos);

      if (device.canRespond()) {
        String answer = "{\"ok\":true,\"marker\":\"" + marker + "\"}";
        device.respond(r.responseTopic(), r.correlationData(), answer, qos);
        ConsumerRecord<String, byte[]> response = find(RESPONSES, valueContains(marker), WAIT);
        assertThat(response).as("the response to %s", commandId).isNotNull();
        assertThat(response.key()).isEqualTo(clientId);
        assertThat(KafkaTopic.header(response, "mqtt_topic")).isEqualTo(responseTopic);
        assertThat(KafkaTopic.header(response, "mqtt_correlation_data")).isEqualTo(commandId);
        result = "ok, answered";
      }
    } // a client process must also end well (exit code 0) after its message
    note(client, cell, result);
  }

  static Stream<MqttClients.Driver> drivers() {
    return MqttClients.all().stream();
  }

  /**
   * The receive column's failure path: the default ACL refuses a subscription to another device's
   * commands, and each client must report the refusal code of its protocol: 0x87 Not authorized
   * (MQTT 5), 0x80 Failure (MQTT 3.1.1).
   */
  @ParameterizedTest(name = "{0} may not subscribe to another device's commands")
  @MethodSource("drivers")
  void refusedForAnotherDevicesCommands(MqttClients.Driver client) throws Exception {
    String cell = "QoS 1 | subscribe to another device's commands";
    String missing = client.missing();
    if (missing != null) {
      note(client, cell, "skipped: " + missing);
      abort(client + " is not available: " + missing);
    }
    String clientId = "interop-acl-" + client.id();
    note(client, cell, "FAILED");
    int expected = client.mqtt5() ? 0x87 : 0x80;
    try (MqttClients.Subscription device =
        client.subscribe(gw.mqttPort(), clientId, "devices/someone-else/commands/#", 1)) {
      assertThat(device.granted()).as("SUBACK code of %s", device).isEqualTo(expected);
    }
    note(client, cell, String.format("refused 0x%02x", expected));
  }

  private static void header(ProducerRecord<String, byte[]> r, String name, String value) {
    r.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static Predicate<ConsumerRecord<String, byte[]>> valueContains(String marker) {
    return r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker);
  }

  private static void note(MqttClients.Driver client, String cell, String result) {
    MATRIX.computeIfAbsent(client.toString(), k -> new ConcurrentHashMap<>()).put(cell, result);
  }

  /** The first record of {@code topic} that {@code matches}, or null in time. */
  private static ConsumerRecord<String, byte[]> find(
      String topic, Predicate<ConsumerRecord<String, byte[]>> matches, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<PartitionInfo> partitions = null;
      while (partitions == null && System.nanoTime() < deadline) {
        partitions = c.listTopics(Duration.ofSeconds(5)).get(topic); // events: by the first one
      }
      if (partitions == null) {
        return null;
      }
      List<TopicPartition> tps =
          partitions.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (matches.test(r)) {
            return r;
          }
        }
      }
    }
    return null;
  }
}
