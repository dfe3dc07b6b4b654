package io.edgegate.gateway.cli;

import static io.edgegate.gateway.journal.TestJournals.appendAll;
import static io.edgegate.gateway.journal.TestJournals.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.journal.Journal;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalStats;
import io.edgegate.gateway.journal.TestJournals;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code edgegate journal …} through the real command line, on real journals. */
class JournalCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Vertx vertx = Vertx.vertx();
  @TempDir Path tmp;

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  private record Result(int exit, String out, String err) {
    List<JsonNode> lines() {
      List<JsonNode> nodes = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          try {
            nodes.add(JSON.readTree(line));
          } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
          }
        }
      }
      return nodes;
    }
  }

  private static Result run(String... args) {
    CommandLine cl = EdgeGateCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void inspectReportsHeadCheckpointAndBacklogAsJsonAndText() throws Exception {
    Path dir = tmp.resolve("journal");
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE)) {
      List<JournalEvent> written = events(30, 1_800_000_000_000L);
      List<Long> indexes = appendAll(vertx, journal, written);
      journal.checkpoint().advance(indexes.get(19));

      Result r = run("journal", "inspect", "--dir", dir.toString(), "--json");
      assertThat(r.exit()).as(r.err()).isZero();
      JsonNode s = JSON.readTree(r.out());
      assertThat(s.get("entries").asLong()).isEqualTo(30);
      assertThat(s.get("headIndex").asLong()).isEqualTo(indexes.get(29));
      assertThat(s.get("headIndexHex").asText())
          .isEqualTo("0x" + Long.toHexString(indexes.get(29)));
      assertThat(s.get("checkpointIndex").asLong()).isEqualTo(indexes.get(19));
      assertThat(s.get("backlog").asLong()).isEqualTo(10);
      assertThat(s.get("files").get("count").asInt()).isEqualTo(1);
      assertThat(s.get("diskBytes").asLong()).isPositive();
      assertThat(s.get("oldestReceivedAt").asText()).isEqualTo("2027-01-15T08:00:00Z");
      assertThat(s.get("newestReceivedAt").asText()).isEqualTo("2027-01-15T08:00:00.029Z");
      assertThat(s.get("quarantined")).isEmpty();

      Result text = run("journal", "inspect", "--dir", dir.toString());
      assertThat(text.exit()).isZero();
      assertThat(text.out())
          .contains("Head          0x" + Long.toHexString(indexes.get(29)))
          .contains("Backlog       10 entries after the checkpoint")
          .contains("Quarantined   none");
    }
  }

  @Test
  void inspectFindsTheJournalThroughTheConfiguration() throws Exception {
    Path dataDir = tmp.resolve("data");
    try (Journal journal =
        Journal.open(dataDir.resolve("journal"), new JournalConfig(), JournalStats.NONE)) {
      appendAll(vertx, journal, events(3, System.currentTimeMillis()));
    }
    Path config = tmp.resolve("gateway.yaml");
    Files.writeString(
        config,
        "gateway:\n  dataDir: " + dataDir + "\nkafka:\n  bootstrapServers: localhost:9092\n");
    Result r = run("journal", "inspect", "--config", config.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(JSON.readTree(r.out()).get("entries").asLong()).isEqualTo(3);
  }

  @Test
  void dumpPrintsEveryFieldAsJsonLinesWithinTheRangeAndFilters() throws Exception {
    Path dir = tmp.resolve("journal");
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE)) {
      List<JournalEvent> written = events(20, 1_800_000_000_000L);
      byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1};
      written.add(TestJournals.event("dev-bin", 1_800_000_001_000L, null, List.of(), binary));
      List<Long> indexes = appendAll(vertx, journal, written);

      List<JsonNode> all = run("journal", "dump", "--dir", dir.toString()).lines();
      assertThat(all).hasSize(21);
      JsonNode first = all.get(0);
      JournalEvent e = written.get(0);
      assertThat(first.get("index").asLong()).isEqualTo(indexes.get(0));
      assertThat(first.get("indexHex").asText()).isEqualTo("0x" + Long.toHexString(indexes.get(0)));
      assertThat(first.get("eventId").asText()).isEqualTo(e.eventId().toString());
      assertThat(first.get("receivedAt").asText()).isEqualTo("2027-01-15T08:00:00Z");
      assertThat(first.get("clientId").asText()).isEqualTo("dev-0");
      assertThat(first.get("topic").asText()).isEqualTo("devices/dev-0/telemetry");
      assertThat(first.get("qos").asInt()).isEqualTo(1);
      assertThat(first.get("contentType").asText()).isEqualTo("application/json");
      assertThat(first.get("userProperties").toString())
          .isEqualTo(
              "[{\"name\":\"site\",\"value\":\"north\"},{\"name\":\"site\",\"value\":\"n-0\"}]");
      assertThat(first.get("expiresAt").isNull()).isTrue();
      assertThat(first.get("responseTopic").asText()).isEqualTo("replies/dev-0");
      assertThat(Base64.getDecoder().decode(first.get("correlationData").asText()))
          .isEqualTo(e.correlationData());
      assertThat(first.get("payloadFormatIndicator").asInt()).isEqualTo(1);
      assertThat(first.get("payloadEncoding").asText()).isEqualTo("utf-8");
      assertThat(first.get("payload").asText()).isEqualTo("{\"seq\":0}");
      assertThat(first.has("damaged")).isFalse();
      assertThat(all.get(1).get("contentType").isNull()).isTrue();
      assertThat(all.get(1).get("responseTopic").isNull()).isTrue();
      assertThat(all.get(1).get("correlationData").isNull()).isTrue();
      assertThat(all.get(1).get("payloadFormatIndicator").asInt()).isZero();
      JsonNode bin = all.get(20);
      assertThat(bin.get("payloadEncoding").asText()).isEqualTo("base64");
      assertThat(Base64.getDecoder().decode(bin.get("payload").asText())).isEqualTo(binary);
      assertThat(bin.get("payloadBytes").asInt()).isEqualTo(4);

      List<JsonNode> range =
          run(
                  "journal",
                  "dump",
                  "--dir",
                  dir.toString(),
                  "--from",
                  "0x" + Long.toHexString(indexes.get(5)),
                  "--to",
                  Long.toString(indexes.get(14)))
              .lines();
      assertThat(range).extracting(n -> n.get("index").asLong()).isEqualTo(indexes.subList(5, 15));

      List<JsonNode> dev1 =
          run("journal", "dump", "--dir", dir.toString(), "--client", "dev-1", "--limit", "3")
              .lines();
      assertThat(dev1)
          .extracting(n -> n.get("index").asLong())
          .containsExactly(indexes.get(1), indexes.get(4), indexes.get(7));
    }
  }

  @Test
  void aDamagedEntryPrintsAsDamagedAndTheDumpGoesOn() throws Exception {
    Path dir = tmp.resolve("journal");
    TestJournals.appendGarbage(dir);
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE)) {
      appendAll(vertx, journal, events(2, System.currentTimeMillis()));
    }
    Result r = run("journal", "dump", "--dir", dir.toString(), "--client", "dev-0");
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> lines = r.lines();
    assertThat(lines).hasSize(2); // the damaged one whatever the filter, then dev-0's event
    assertThat(lines.get(0).get("damaged").asBoolean()).isTrue();
    assertThat(lines.get(0).get("problem").asText()).contains("unknown entry format 99");
    assertThat(lines.get(0).get("indexHex").asText()).startsWith("0x");
    assertThat(lines.get(1).get("clientId").asText()).isEqualTo("dev-0");
  }

  @Test
  void tailPrintsTheLastEntriesAndFollowsNewOnesUntilInterrupted() throws Exception {
    Path dir = tmp.resolve("journal");
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE)) {
      List<Long> indexes = appendAll(vertx, journal, events(50, System.currentTimeMillis()));
      List<JsonNode> last = run("journal", "tail", "--dir", dir.toString(), "-n", "5").lines();
      assertThat(last).extracting(n -> n.get("index").asLong()).isEqualTo(indexes.subList(45, 50));

      StringWriter out = new StringWriter();
      CompletableFuture<Integer> exit = new CompletableFuture<>();
      Thread t =
          new Thread(
              () -> {
                CommandLine cl = EdgeGateCommand.commandLine();
                cl.setOut(new PrintWriter(out));
                exit.complete(
                    cl.execute("journal", "tail", "--dir", dir.toString(), "-n", "2", "-f"));
              },
              "tail-follow");
      t.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> lines(out) == 2);
      List<JournalEvent> later = events(3, System.currentTimeMillis());
      appendAll(vertx, journal, later);
      await().atMost(Duration.ofSeconds(20)).until(() -> lines(out) == 5);
      t.interrupt();
      assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
      String[] printed = out.toString().split("\n");
      assertThat(JSON.readTree(printed[4]).get("eventId").asText())
          .isEqualTo(later.get(2).eventId().toString());
    }
  }

  private static long lines(StringWriter out) {
    return out.toString().chars().filter(c -> c == '\n').count();
  }

  @Test
  void usageErrorsExitWith2AndSayWhatWasWrong() throws Exception {
    Path missing = tmp.resolve("missing");
    Result r = run("journal", "inspect", "--dir", missing.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no journal in").contains("does not exist");
    assertThat(missing).doesNotExist();

    assertThat(run("journal", "inspect").exit()).as("neither --config nor --dir").isEqualTo(2);
    assertThat(run("journal", "inspect", "--dir", "a", "--config", "b").exit()).isEqualTo(2);
    assertThat(run("journal").exit()).as("no subcommand").isEqualTo(2);

    Path dir = tmp.resolve("journal");
    Journal.open(dir, new JournalConfig(), JournalStats.NONE).close();
    Result badIndex = run("journal", "dump", "--dir", dir.toString(), "--from", "0xZZ");
    assertThat(badIndex.exit()).isEqualTo(2);
    assertThat(badIndex.err()).contains("'0xZZ' is not a journal index");
    Result reversed = run("journal", "dump", "--dir", dir.toString(), "--from", "9", "--to", "3");
    assertThat(reversed.exit()).isEqualTo(2);
    assertThat(reversed.err()).contains("--from 0x9 is after --to 0x3");

    Path badConfig = tmp.resolve("bad.yaml");
    Files.writeString(badConfig, "journal:\n  sync: sometimes\n");
    Result config = run("journal", "inspect", "--config", badConfig.toString());
    assertThat(config.exit()).isEqualTo(2);
    assertThat(config.err()).contains("invalid configuration").contains("journal.sync");
  }

  @Test
  void replayRefusesARangeTheJournalDoesNotHoldBeforeContactingKafka() throws Exception {
    Path dataDir = tmp.resolve("data");
    List<Long> indexes;
    try (Journal journal =
        Journal.open(dataDir.resolve("journal"), new JournalConfig(), JournalStats.NONE)) {
      indexes = appendAll(vertx, journal, events(5, System.currentTimeMillis()));
    }
    Path config = tmp.resolve("gateway.yaml");
    // Nothing listens there: a refusal must come before any attempt to reach Kafka.
    Files.writeString(
        config, "gateway:\n  dataDir: " + dataDir + "\nkafka:\n  bootstrapServers: 127.0.0.1:1\n");
    long first = indexes.get(0);
    long last = indexes.get(4);
    Result before =
        run(
            "journal",
            "replay",
            "--config",
            config.toString(),
            "--from",
            Long.toString(first - 1),
            "--to",
            Long.toString(last));
    assertThat(before.exit()).isEqualTo(2);
    assertThat(before.err())
        .contains("is before the oldest entry in the journal, 0x" + Long.toHexString(first));
    Result after =
        run(
            "journal",
            "replay",
            "--config",
            config.toString(),
            "--from",
            Long.toString(first),
            "--to",
            Long.toString(last + 1));
    assertThat(after.exit()).isEqualTo(2);
    assertThat(after.err()).contains("is after the newest entry in the journal");
    Result topic =
        run(
            "journal",
            "replay",
            "--config",
            config.toString(),
            "--from",
            Long.toString(first),
            "--to",
            Long.toString(last),
            "--topic",
            "bad topic");
    assertThat(topic.exit()).isEqualTo(2);
    assertThat(topic.err()).contains("is not a Kafka topic name");
  }
}
