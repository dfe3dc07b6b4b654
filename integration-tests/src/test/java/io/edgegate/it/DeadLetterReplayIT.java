package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.gateway.cli.EdgeGateCommand;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.testsupport.GatewayHygiene;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code edgegate deadletter replay} after a schema and a route were fixed: a dry run sends nothing
 * and says what would happen; the replay sends the events that pass now to their topics with their
 * original {@code ce_id}s and reports the one still invalid with its reason; a second replay sends
 * nothing again.
 */
@ExtendWith(GatewayHygiene.class)
class DeadLetterReplayIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run edgegate(String... args) {
    CommandLine cl = EdgeGateCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** The gateway's configuration as an operator keeps it: temperatures up to {@code max}. */
  private String yaml(String bootstrap, int max, boolean statusRoute) throws Exception {
    Path schema = dir.resolve("telemetry-" + max + ".json");
    Files.writeString(
        schema,
        """
        {"$schema":"https://json-schema.org/draft/2020-12/schema",
         "$id":"https://schemas.example.com/telemetry/%d",
         "type":"object","required":["temperature"],
         "properties":{"temperature":{"type":"number","maximum":%d}}}
        """
            .formatted(max, max));
    return """
        gateway: {id: it, dataDir: '%s'}
        kafka: {bootstrapServers: '%s', topic: %s, deadLetterTopic: %s}
        pipeline:
          contentType: application/json
          routes:
            - match: devices/{deviceId}/telemetry
              topic: iot.telemetry
              type: com.example.telemetry
              schema: telemetry
              format: json
        %s
          unmatched: {policy: dead-letter}
          schemas:
            telemetry: {current: 1, versions: {1: {file: '%s'}}}
        """
        .formatted(
            dir.resolve("gw"),
            bootstrap,
            TestGateway.TOPIC,
            TestGateway.DEAD_LETTERS,
            statusRoute
                ? """
                    - match: devices/{deviceId}/status
                      topic: iot.status
                      type: com.example.status
                      format: json
                """
                : "",
            schema);
  }

  private static void publish(Device device, String topic, String body) throws Exception {
    device
        .client
        .publishWith()
        .topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(body.getBytes(StandardCharsets.UTF_8))
        .send()
        .get(30, TimeUnit.SECONDS);
  }

  private static Set<String> topics(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void fixedEventsReachTheirTopicsOnceWithTheirCeIdsAndTheStillInvalidOneIsReported()
      throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      String bootstrap = kafka.bootstrapServers();
      List<ConsumerRecord<String, byte[]>> dead = deadLetter(bootstrap);
      Map<String, String> deadIdByBody = idsByBody(dead);

      // The fix: a wider range, and a route for status.
      Path fixed = dir.resolve("fixed.yaml");
      Files.writeString(fixed, yaml(bootstrap, 100, true));
      String[] replay = {
        "deadletter",
        "replay",
        "--config",
        fixed.toString(),
        "--reason",
        "schema-invalid",
        "--reason",
        "unmatched-topic"
      };

      Run dry = edgegate(concat(replay, "--dry-run", "--json"));
      assertThat(dry.exit()).as(dry.out() + dry.err()).isZero();
      JsonNode s = JSON.readTree(dry.out());
      assertThat(s.get("dryRun").asBoolean()).isTrue();
      assertThat(s.get("examined").asLong()).isEqualTo(5);
      assertThat(s.get("passed").asLong()).isEqualTo(3);
      assertThat(s.get("passedByTopic").get("iot.telemetry").asLong()).isEqualTo(2);
      assertThat(s.get("passedByTopic").get("iot.status").asLong()).isEqualTo(1);
      assertThat(s.get("stillFailingByReason").get("schema-invalid").asLong()).isEqualTo(1);
      assertThat(s.get("skippedByFilters").asLong()).isEqualTo(1);
      assertThat(s.get("alreadyReplayed").asLong()).isZero();
      assertThat(topics(bootstrap))
          .as("a dry run sends and records nothing")
          .doesNotContain("iot.status", TestGateway.DEAD_LETTERS + ".replayed");
      assertThat(KafkaTopic.readAll(bootstrap, "iot.telemetry", 1, Duration.ofSeconds(5)))
          .hasSize(1);

      Run first = edgegate(replay);
      assertThat(first.exit()).as(first.out() + first.err()).isZero();
      assertThat(first.out())
          .contains("passed, sent         3 (iot.status 1, iot.telemetry 2)")
          .contains("still failing        1 (schema-invalid 1)")
          .contains("skipped by filters   1")
          .contains("device=dev-1 schema-invalid -> schema-invalid: ");
      List<ConsumerRecord<String, byte[]>> telemetry =
          KafkaTopic.readAll(bootstrap, "iot.telemetry", 3, Duration.ofSeconds(60), true);
      assertThat(telemetry).hasSize(3);
      assertThat(telemetry.subList(1, 3))
          .extracting(r -> KafkaTopic.header(r, "ce_id"))
          .containsExactly(
              deadIdByBody.get("{\"temperature\":70}"), deadIdByBody.get("{\"temperature\":80}"));
      assertThat(telemetry.get(1).key()).isEqualTo("dev-1");
      assertThat(KafkaTopic.header(telemetry.get(1), "ce_dataschema"))
          .isEqualTo("https://schemas.example.com/telemetry/100");
      assertThat(KafkaTopic.header(telemetry.get(1), "edgegate_replayed_from"))
          .isEqualTo(
              TestGateway.DEAD_LETTERS
                  + "/"
                  + dead.get(0).partition()
                  + "/"
                  + dead.get(0).offset());
      List<ConsumerRecord<String, byte[]>> status =
          KafkaTopic.readAll(bootstrap, "iot.status", 1, Duration.ofSeconds(60), true);
      assertThat(status)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(KafkaTopic.header(r, "ce_id"))
                    .isEqualTo(deadIdByBody.get("{\"ok\":true}"));
                assertThat(KafkaTopic.header(r, "mqtt_topic")).isEqualTo("devices/dev-1/status");
                assertThat(KafkaTopic.header(r, "content-type")).isEqualTo("application/json");
              });

      Run second = edgegate(concat(replay, "--json"));
      assertThat(second.exit()).as(second.out() + second.err()).isZero();
      JsonNode again = JSON.readTree(second.out());
      assertThat(again.get("passed").asLong()).isZero();
      assertThat(again.get("alreadyReplayed").asLong()).isEqualTo(3);
      assertThat(again.get("stillFailing").asLong()).isEqualTo(1);
      assertThat(KafkaTopic.readAll(bootstrap, "iot.telemetry", 3, Duration.ofSeconds(5)))
          .as("nothing sent twice, not even uncommitted")
          .hasSize(3);
      assertThat(KafkaTopic.readAll(bootstrap, "iot.status", 1, Duration.ofSeconds(5))).hasSize(1);
      assertThat(KafkaTopic.readAll(bootstrap, TestGateway.DEAD_LETTERS, 5, Duration.ofSeconds(5)))
          .as("the dead letters stay where they are")
          .hasSize(5);
    }
  }

  /**
   * Runs a gateway whose schema allows temperatures up to 50 and has no route for status: four of
   * six events are dead-lettered (three schema-invalid, one unmatched-topic) and one is not JSON.
   */
  private List<ConsumerRecord<String, byte[]>> deadLetter(String bootstrap) throws Exception {
    var config = TestGateway.config(dir.resolve("gw"), bootstrap);
    config.mqtt.acl.enabled = false; // devices/dev-1/status must reach routing
    config.pipeline = ConfigLoader.parse("broken.yaml", yaml(bootstrap, 50, false)).pipeline;
    try (TestGateway gw = TestGateway.start(config);
        Device dev1 = Device.connect("dev-1", gw.mqttPort())) {
      publish(dev1, "devices/dev-1/telemetry", "{\"temperature\":10}"); // valid
      publish(dev1, "devices/dev-1/telemetry", "{\"temperature\":70}"); // valid once fixed
      publish(dev1, "devices/dev-1/telemetry", "{\"temperature\":80}"); // valid once fixed
      publish(dev1, "devices/dev-1/telemetry", "{\"temperature\":500}"); // invalid for good
      publish(dev1, "devices/dev-1/status", "{\"ok\":true}"); // no route yet
      publish(dev1, "devices/dev-1/telemetry", "not json"); // not taken by the filter
      List<ConsumerRecord<String, byte[]>> dead =
          KafkaTopic.readAll(bootstrap, TestGateway.DEAD_LETTERS, 5, Duration.ofSeconds(60));
      assertThat(dead)
          .extracting(r -> KafkaTopic.header(r, "edgegate_dlq_reason"))
          .containsExactly(
              "schema-invalid", "schema-invalid", "schema-invalid", "unmatched-topic", "not-json");
      assertThat(KafkaTopic.readAll(bootstrap, "iot.telemetry", 1, Duration.ofSeconds(60)))
          .hasSize(1);
      return dead;
    }
  }

  private static Map<String, String> idsByBody(List<ConsumerRecord<String, byte[]>> dead) {
    return dead.stream()
        .collect(
            Collectors.toMap(
                r -> new String(r.value(), StandardCharsets.UTF_8),
                r -> KafkaTopic.header(r, "ce_id")));
  }

  @Test
  void aRunThatDiedMidTransactionIsAbortedAndItsEventsSentOnceByTheNext() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      String bootstrap = kafka.bootstrapServers();
      List<ConsumerRecord<String, byte[]>> dead = deadLetter(bootstrap);
      String id70 = idsByBody(dead).get("{\"temperature\":70}");
      Path fixed = dir.resolve("fixed.yaml");
      Files.writeString(fixed, yaml(bootstrap, 100, true));
      // A run that sent an event and its marker, then died before the commit: its transaction
      // stays open (a process killed does not abort it).
      Map<String, Object> p =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              bootstrap,
              ProducerConfig.TRANSACTIONAL_ID_CONFIG,
              "edgegate-it-deadletter-replay",
              ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
              StringSerializer.class,
              ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
              ByteArraySerializer.class);
      try (KafkaProducer<String, byte[]> died = new KafkaProducer<>(p)) {
        died.initTransactions();
        died.beginTransaction();
        ProducerRecord<String, byte[]> copy =
            new ProducerRecord<>("iot.telemetry", "dev-1", dead.get(0).value());
        copy.headers().add("ce_id", id70.getBytes(StandardCharsets.UTF_8));
        died.send(copy).get(30, TimeUnit.SECONDS);
        died.send(
                new ProducerRecord<>(
                    TestGateway.DEAD_LETTERS + ".replayed",
                    id70,
                    "{}".getBytes(StandardCharsets.UTF_8)))
            .get(30, TimeUnit.SECONDS);

        Run next = edgegate("deadletter", "replay", "--config", fixed.toString(), "--json");
        assertThat(next.exit()).as(next.out() + next.err()).isZero();
        JsonNode s = JSON.readTree(next.out());
        assertThat(s.get("alreadyReplayed").asLong())
            .as("the dead run's marker was never committed")
            .isZero();
        assertThat(s.get("passed").asLong()).isEqualTo(3);
      }
      List<ConsumerRecord<String, byte[]>> committed =
          KafkaTopic.readAll(bootstrap, "iot.telemetry", 3, Duration.ofSeconds(60), true);
      assertThat(committed)
          .extracting(r -> KafkaTopic.header(r, "ce_id"))
          .as("read_committed: each event once")
          .doesNotHaveDuplicates()
          .hasSize(3)
          .contains(id70);
      assertThat(KafkaTopic.readAll(bootstrap, "iot.telemetry", 4, Duration.ofSeconds(60)))
          .extracting(r -> KafkaTopic.header(r, "ce_id"))
          .as("read_uncommitted also sees the aborted copy, with the same ce_id to drop it by")
          .hasSize(4)
          .filteredOn(id70::equals)
          .hasSize(2);
    }
  }

  private static String[] concat(String[] a, String... more) {
    String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
    System.arraycopy(more, 0, out, a.length, more.length);
    return out;
  }
}
