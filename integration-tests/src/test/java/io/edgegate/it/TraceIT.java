package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.gateway.cli.EdgeGateCommand;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.journal.EventIds;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code edgegate trace} beside a running gateway and a real broker: an event forwarded (where a
 * consumer reads it), dead-lettered (with the reason), waiting in the backlog while Kafka is away,
 * unknown, aged out of the journal, and a device's last events.
 */
// The test sends a record larger than Kafka takes, and stops Kafka with an event in the backlog.
@ExtendWith(GatewayHygiene.class)
@ExpectedLogs({
  "^Kafka refused event \\p{XDigit}+ for good \\(org\\.apache\\.kafka\\.common\\.errors\\.RecordTooLargeException",
  ExpectedLogs.KAFKA_SEND_FAILED,
  ExpectedLogs.KAFKA_STALLED
})
class TraceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  private static Run edgegate(String... args) {
    CommandLine cl = EdgeGateCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** What an operator passes: the test gateway's journal, Kafka and topics as a YAML file. */
  private Path yaml(GatewayConfig config, String... more) throws Exception {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "gateway:",
                "  id: " + config.gateway.id,
                "  dataDir: " + config.gateway.dataDir,
                "kafka:",
                "  bootstrapServers: " + config.kafka.bootstrapServers,
                "  topic: " + TestGateway.TOPIC,
                "  deadLetterTopic: " + TestGateway.DEAD_LETTERS,
                "pipeline:",
                "  contentType: application/json"));
    lines.addAll(List.of(more));
    Path yaml = dir.resolve("gateway.yaml");
    Files.writeString(yaml, String.join("\n", lines) + "\n");
    return yaml;
  }

  private static Run trace(Path yaml, String... args) {
    List<String> all = new ArrayList<>(List.of("trace", "--config", yaml.toString()));
    all.addAll(List.of(args));
    Run r = edgegate(all.toArray(String[]::new));
    System.out.println("$ edgegate " + String.join(" ", all) + "\n" + r.out() + r.err());
    return r;
  }

  private static void assertSameRecord(JsonNode record, ConsumerRecord<?, ?> r) {
    assertThat(record.get("topic").asText()).isEqualTo(r.topic());
    assertThat(record.get("partition").asInt()).isEqualTo(r.partition());
    assertThat(record.get("offset").asLong()).isEqualTo(r.offset());
    assertThat(record.get("timestamp").asText())
        .isEqualTo(Instant.ofEpochMilli(r.timestamp()).toString());
  }

  @Test
  void forwardedDeadLetteredBacklogUnknownAndADevicesLastEvents() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      config.mqtt.maxMessageSize = 64 * 1024; // MQTT takes it ...
      config.kafka.producer.put("max.request.size", "4000"); // ... Kafka (this producer) will not
      Path yaml = yaml(config);
      try (TestGateway gw = TestGateway.start(config);
          Device device = Device.connect("dev-1", gw.mqttPort())) {
        device.publish(0, 5, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
        device.publish(5, 1, MqttQos.AT_LEAST_ONCE, 20_000).get(30, TimeUnit.SECONDS); // poison
        device.publish(6, 4, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
        assertThat(device.acked).hasSize(10);
        List<ConsumerRecord<String, byte[]>> events =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, 9, Duration.ofSeconds(60));
        List<ConsumerRecord<String, byte[]>> dead =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.DEAD_LETTERS, 1, Duration.ofSeconds(60));
        assertThat(events).hasSize(9);
        assertThat(dead).hasSize(1);
        Map<String, ConsumerRecord<String, byte[]>> byId =
            events.stream().collect(Collectors.toMap(r -> KafkaTopic.header(r, "ce_id"), r -> r));

        // Forwarded: the topic, partition, offset and timestamp a consumer reads it at.
        ConsumerRecord<String, byte[]> third = events.get(2);
        String thirdId = KafkaTopic.header(third, "ce_id");
        Run forwarded = trace(yaml, thirdId, "--json");
        assertThat(forwarded.exit()).as(forwarded.err()).isZero();
        JsonNode f = forwarded.json();
        assertThat(f.get("fate").asText()).isEqualTo("forwarded");
        assertThat(f.get("entry").get("device").asText()).isEqualTo("dev-1");
        assertThat(f.get("entry").get("topic").asText()).isEqualTo(Device.topic("dev-1"));
        assertThat(f.get("entry").get("qos").asInt()).isEqualTo(1);
        assertThat(f.get("routedTopic").asText()).isEqualTo(TestGateway.TOPIC);
        assertSameRecord(f.get("record"), third);
        assertThat(f.get("copies").asInt()).isEqualTo(1);
        assertThat(f.get("kafka").get("status").asText()).isEqualTo("asked");
        Run forwardedText = trace(yaml, thirdId);
        assertThat(forwardedText.out())
            .contains(": forwarded to Kafka")
            .contains(
                "Kafka      "
                    + third.topic()
                    + ", partition "
                    + third.partition()
                    + ", offset "
                    + third.offset());

        // Dead-lettered: the dead-letter record and its reason.
        ConsumerRecord<String, byte[]> poison = dead.get(0);
        Run deadLettered = trace(yaml, KafkaTopic.header(poison, "ce_id"), "--json");
        assertThat(deadLettered.exit()).as(deadLettered.err()).isZero();
        JsonNode d = deadLettered.json();
        assertThat(d.get("fate").asText()).isEqualTo("dead_lettered");
        assertSameRecord(d.get("record"), poison);
        assertThat(d.get("record").get("deadLetterReason").asText())
            .isEqualTo(KafkaTopic.header(poison, "edgegate_dlq_reason"))
            .isEqualTo("record-too-large");
        assertThat(d.get("record").get("deadLetterError").asText())
            .contains("RecordTooLargeException");
        assertThat(trace(yaml, KafkaTopic.header(poison, "ce_id")).out())
            .contains(": dead-lettered")
            .contains("reason record-too-large: ");

        // Unknown: an id made while the journal was taking events, which this gateway never made.
        Instant during = Instant.parse(f.get("entry").get("receivedAt").asText());
        String unknown = new EventIds(Clock.fixed(during, ZoneOffset.UTC)).next().toString();
        Run notFound = trace(yaml, unknown);
        assertThat(notFound.exit()).as(notFound.err()).isZero();
        assertThat(notFound.out())
            .contains(unknown + ": not found")
            .contains("within that range: this gateway did not journal it");
        assertThat(trace(yaml, unknown, "--json").json().get("fate").asText())
            .isEqualTo("not_found");

        // By device: the last 5, each with its fate and record; one consumer for all of them.
        Run last = trace(yaml, "--device", "dev-1", "--last", "5", "--json");
        assertThat(last.exit()).as(last.err()).isZero();
        JsonNode l = last.json();
        assertThat(l.get("events")).hasSize(5);
        for (JsonNode e : l.get("events")) {
          String id = e.get("eventId").asText();
          if (id.equals(KafkaTopic.header(poison, "ce_id"))) {
            assertThat(e.get("fate").asText()).isEqualTo("dead_lettered");
            assertSameRecord(e.get("record"), poison);
          } else {
            assertThat(e.get("fate").asText()).isEqualTo("forwarded");
            assertThat(byId).containsKey(id);
            assertSameRecord(e.get("record"), byId.get(id));
          }
        }
        assertThat(l.get("events").get(0).get("fate").asText())
            .as("seq 5, the poison, is the oldest of the last five")
            .isEqualTo("dead_lettered");
        assertThat(trace(yaml, "--device", "dev-1", "--last", "5").out())
            .contains("Device dev-1: the last 5 events")
            .contains("dead-lettered  " + TestGateway.DEAD_LETTERS + "/")
            .contains("forwarded      " + TestGateway.TOPIC + "/");

        // Backlog: Kafka away, the event is journaled (acknowledged to the device) only.
        kafka.stop();
        try (Device dev2 = Device.connect("dev-2", gw.mqttPort())) {
          dev2.publish(0, 3, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
          assertThat(dev2.acked).hasSize(3);
        }
        Run device2 = edgegate("journal", "dump", "--config", yaml.toString(), "--client", "dev-2");
        List<String> dev2Ids = new ArrayList<>();
        for (String line : device2.out().split("\n")) {
          dev2Ids.add(JSON.readTree(line).get("eventId").asText());
        }
        assertThat(dev2Ids).hasSize(3);
        Run away = trace(yaml, dev2Ids.get(1), "--timeout", "2s");
        assertThat(away.exit()).as("Kafka could not be asked").isEqualTo(1);
        assertThat(away.out())
            .contains(": in the backlog, not yet forwarded")
            .contains("2nd of 3 entries after the checkpoint (1 to go before it)")
            .contains("could not be asked: Kafka at " + kafka.bootstrapServers());
        JsonNode awayJson = trace(yaml, dev2Ids.get(1), "--timeout", "2s", "--json").json();
        assertThat(awayJson.get("fate").asText()).isEqualTo("backlog");
        assertThat(awayJson.get("backlogPosition").asLong()).isEqualTo(2);
        assertThat(awayJson.get("kafka").get("status").asText()).isEqualTo("unreachable");
        Run journalOnly =
            edgegate(
                "trace",
                "--dir",
                config.journal.dir(config.gateway.dataDir).toString(),
                dev2Ids.get(1),
                "--json");
        assertThat(journalOnly.exit()).as(journalOnly.err()).isZero();
        assertThat(journalOnly.json().get("fate").asText()).isEqualTo("backlog");

        // Kafka back: the backlog drains and the same event is found where a consumer reads it.
        kafka.startAgain();
        List<ConsumerRecord<String, byte[]>> all =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, 12, Duration.ofSeconds(60));
        ConsumerRecord<String, byte[]> drained =
            all.stream()
                .filter(r -> dev2Ids.get(1).equals(KafkaTopic.header(r, "ce_id")))
                .findFirst()
                .orElseThrow();
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  JsonNode now = trace(yaml, dev2Ids.get(1), "--json").json();
                  assertThat(now.get("fate").asText()).isEqualTo("forwarded");
                  assertThat(now.get("entry").get("afterCheckpoint").asBoolean()).isFalse();
                  assertSameRecord(now.get("record"), drained);
                });
      }
    }
  }

  @Test
  void anEventWhoseJournalFileWasDeletedIsAgedOutAndStillFoundInKafka() throws Exception {
    MovableClock clock = new MovableClock();
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      config.journal.roll = JournalConfig.Roll.FIVE_MINUTELY;
      config.journal.retention = Duration.ZERO;
      config.journal.housekeepingInterval = Duration.ofMillis(200);
      Path yaml = yaml(config, "journal:", "  roll: five_minutely");
      Path journalDir = config.journal.dir(config.gateway.dataDir);
      try (TestGateway gw = TestGateway.start(config, clock);
          Device device = Device.connect("dev-1", gw.mqttPort())) {
        device.publish(0, 1, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
        ConsumerRecord<String, byte[]> first =
            KafkaTopic.readAll(
                    kafka.bootstrapServers(), TestGateway.TOPIC, 1, Duration.ofSeconds(60))
                .get(0);
        String id = KafkaTopic.header(first, "ce_id");
        assertThat(trace(yaml, id, "--json").json().get("entry").isNull()).isFalse();

        // Its file's period passes, a later event opens the next file, and retention deletes the
        // forwarded one.
        clock.advance(Duration.ofMinutes(10));
        device.publish(1, 1, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    edgegate("trace", "--dir", journalDir.toString(), id, "--json")
                        .json()
                        .get("fate")
                        .asText()
                        .equals("aged_out"));
        Run journalOnly = edgegate("trace", "--dir", journalDir.toString(), id);
        System.out.println(journalOnly.out());
        assertThat(journalOnly.exit()).isZero();
        assertThat(journalOnly.out())
            .contains(": not in the journal: aged out of its retention, or never received")
            .contains("before the oldest entry: if this gateway received it, it has aged out");

        // Kafka still has it: searched in the configured topics from the time in its id.
        Run withKafka = trace(yaml, id, "--json");
        assertThat(withKafka.exit()).as(withKafka.err()).isZero();
        JsonNode k = withKafka.json();
        assertThat(k.get("entry").isNull()).isTrue();
        assertThat(k.get("fate").asText()).isEqualTo("forwarded");
        assertSameRecord(k.get("record"), first);
        assertThat(trace(yaml, id).out())
            .contains("it has aged out")
            .contains("offset " + first.offset());
      }
    }
  }
}
