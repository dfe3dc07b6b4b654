package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.GatewayConfig;
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
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * <p>Each client is a {@link MqttClients.Driver}; the receive column (a command from Kafka
 * delivered to the client's subscription) is a second step per client, {@link #receives}, to be
 * filled in with a {@code subscribe} on each driver once the gateway delivers commands.
 */
class InteroperabilityIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "interop";
  private static final String DEFAULT_CONTENT_TYPE = "application/x-edgegate-default";
  // client -> "publish qos N" / "receive qos N" -> outcome, for the printed matrix
  private static final Map<String, Map<String, String>> MATRIX = new ConcurrentHashMap<>();

  @RegisterExtension final NoBlockedEventLoops noBlockedEventLoops = new NoBlockedEventLoops();
  @TempDir static Path dir;
  static KafkaBroker kafka;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    kafka = KafkaBroker.start(dir.resolve("kafka"));
    GatewayConfig c = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
    c.kafka.topic = TOPIC;
    c.pipeline.contentType = DEFAULT_CONTENT_TYPE; // what an event without a content type gets
    gw = TestGateway.start(c);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      gw.close();
    } finally {
      kafka.close();
    }
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

    ConsumerRecord<String, byte[]> r = find(marker, Duration.ofSeconds(60));
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
   * The receive column: a command produced to Kafka reaches the client's subscription at this QoS.
   * Pending: the gateway of this build does not deliver commands to devices.
   */
  @ParameterizedTest(name = "{0} receives at QoS {1}")
  @MethodSource("cells")
  void receives(MqttClients.Driver client, int qos) {
    String cell = "QoS " + qos + " | receive";
    note(client, cell, "pending: commands (cloud to device) are not in this build");
    abort("commands (cloud to device) are not in this build: the receive step comes with them");
  }

  private static void note(MqttClients.Driver client, String cell, String result) {
    MATRIX.computeIfAbsent(client.toString(), k -> new ConcurrentHashMap<>()).put(cell, result);
  }

  /** The first record of the topic whose value contains {@code marker}, or null in time. */
  private static ConsumerRecord<String, byte[]> find(String marker, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<PartitionInfo> partitions = null;
      while (partitions == null && System.nanoTime() < deadline) {
        partitions = c.listTopics(Duration.ofSeconds(5)).get(TOPIC); // created by the first event
      }
      if (partitions == null) {
        return null;
      }
      List<TopicPartition> tps =
          partitions.stream().map(i -> new TopicPartition(TOPIC, i.partition())).toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (new String(r.value(), StandardCharsets.UTF_8).contains(marker)) {
            return r;
          }
        }
      }
    }
    return null;
  }
}
