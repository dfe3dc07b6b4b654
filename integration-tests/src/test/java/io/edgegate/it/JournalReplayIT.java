package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.gateway.cli.EdgeGateCommand;
import io.edgegate.testsupport.GatewayHygiene;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@code edgegate journal replay} beside a running gateway: a sub-range of the journal goes to
 * Kafka again with the original {@code ce_id}s, while the gateway keeps its journal and checkpoint
 * and goes on forwarding.
 */
@ExtendWith(GatewayHygiene.class)
class JournalReplayIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REPLAY_TOPIC = "events.replay";
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

  @Test
  void aReplayedSubRangeReachesKafkaWithTheOriginalCeIdsWhileTheGatewayRuns() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      Path dataDir = dir.resolve("gw");
      var config = TestGateway.config(dataDir, kafka.bootstrapServers());
      // What an operator passes: the same gateway, journal and Kafka as a YAML file.
      Path yaml = dir.resolve("gateway.yaml");
      Files.writeString(
          yaml,
          String.join(
              "\n",
              "gateway:",
              "  id: " + config.gateway.id,
              "  dataDir: " + dataDir,
              "kafka:",
              "  bootstrapServers: " + kafka.bootstrapServers(),
              "  topic: " + TestGateway.TOPIC,
              "  deadLetterTopic: " + TestGateway.DEAD_LETTERS,
              "pipeline:",
              "  contentType: application/json",
              ""));
      try (TestGateway gw = TestGateway.start(config);
          Device dev1 = Device.connect("dev-1", gw.mqttPort());
          Device dev2 = Device.connect("dev-2", gw.mqttPort())) {
        dev1.publish(0, 30, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
        dev2.publish(0, 30, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
        assertThat(dev1.acked).hasSize(30);
        assertThat(dev2.acked).hasSize(30);
        List<ConsumerRecord<String, byte[]>> originals =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, 60, Duration.ofSeconds(60));
        assertThat(originals).hasSize(60);
        Map<String, String> originalKeyById =
            originals.stream()
                .collect(Collectors.toMap(r -> KafkaTopic.header(r, "ce_id"), r -> r.key()));

        // The journal as the running gateway has it: every event, indexes to pick a range from.
        Run dump = edgegate("journal", "dump", "--config", yaml.toString());
        assertThat(dump.exit()).as(dump.err()).isZero();
        List<JsonNode> entries = new ArrayList<>();
        for (String line : dump.out().split("\n")) {
          entries.add(JSON.readTree(line));
        }
        assertThat(entries).hasSize(60);
        List<JsonNode> range = entries.subList(15, 40);
        List<String> rangeIds = range.stream().map(e -> e.get("eventId").asText()).toList();
        assertThat(originalKeyById).containsKeys(rangeIds.toArray(String[]::new));

        Run replay =
            edgegate(
                "journal",
                "replay",
                "--config",
                yaml.toString(),
                "--from",
                range.get(0).get("indexHex").asText(),
                "--to",
                range.get(range.size() - 1).get("indexHex").asText(),
                "--topic",
                REPLAY_TOPIC);
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("25 sent, 25 acknowledged, 0 failed, 0 damaged");

        List<ConsumerRecord<String, byte[]>> replayed =
            KafkaTopic.readAll(kafka.bootstrapServers(), REPLAY_TOPIC, 25, Duration.ofSeconds(60));
        assertThat(replayed)
            .extracting(r -> KafkaTopic.header(r, "ce_id"))
            .containsExactlyInAnyOrderElementsOf(rangeIds);
        for (ConsumerRecord<String, byte[]> r : replayed) {
          assertThat(r.key()).isEqualTo(originalKeyById.get(KafkaTopic.header(r, "ce_id")));
        }
        // Per device, in journal order, as the gateway sent them.
        Events.byDevice(replayed).forEach((device, seqs) -> assertThat(seqs).isSorted());

        // The gateway was not disturbed: it forwards a new event and its checkpoint reaches it.
        dev1.publish(30, 1, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
        assertThat(dev1.acked).hasSize(31);
        KafkaTopic.readAll(kafka.bootstrapServers(), TestGateway.TOPIC, 61, Duration.ofSeconds(60));
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  Run inspect =
                      edgegate("journal", "inspect", "--config", yaml.toString(), "--json");
                  assertThat(inspect.exit()).as(inspect.err()).isZero();
                  JsonNode s = JSON.readTree(inspect.out());
                  assertThat(s.get("entries").asLong()).isEqualTo(61);
                  assertThat(s.get("backlog").asLong()).isZero();
                  assertThat(s.get("checkpointIndex").asLong())
                      .isEqualTo(s.get("headIndex").asLong());
                });
      }
    }
  }
}
