package io.edgegate.gateway.cli;

import static io.edgegate.gateway.journal.TestJournals.appendAll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.Journal;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalStats;
import io.edgegate.gateway.journal.TestJournals;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code edgegate trace} through the real command line on a real journal, without Kafka. */
class TraceCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Vertx vertx = Vertx.vertx();
  @TempDir Path tmp;

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cl = EdgeGateCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private List<JournalEvent> journal(Path dir, int n, int checkpointAt) throws Exception {
    long now = System.currentTimeMillis();
    List<JournalEvent> written = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      written.add(
          TestJournals.event(
              "dev-" + (i % 2), now + i, null, List.of(), "{}".getBytes(StandardCharsets.UTF_8)));
    }
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE)) {
      List<Long> indexes = appendAll(vertx, journal, written);
      if (checkpointAt >= 0) {
        journal.checkpoint().advance(indexes.get(checkpointAt));
      }
    }
    return written;
  }

  @Test
  void anEventInTheBacklogIsReportedWithItsPlaceAsTextAndJson() throws Exception {
    Path dir = tmp.resolve("journal");
    List<JournalEvent> written = journal(dir, 10, 3);
    String id = written.get(6).eventId().toString();

    Result text = run("trace", "--dir", dir.toString(), id);
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("Event      " + id + ": in the backlog, not yet forwarded")
        .contains("from device dev-0 on devices/dev-0/telemetry, QoS 1")
        .contains("3rd of 6 entries after the checkpoint (2 to go before it)")
        .contains("Kafka      not asked: no configuration");

    Result json = run("trace", "--dir", dir.toString(), id, "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode n = JSON.readTree(json.out());
    assertThat(n.get("fate").asText()).isEqualTo("backlog");
    assertThat(n.get("backlogPosition").asLong()).isEqualTo(3);
    assertThat(n.get("entry").get("device").asText()).isEqualTo("dev-0");
    assertThat(n.get("entry").get("afterCheckpoint").asBoolean()).isTrue();
    assertThat(n.get("record").isNull()).isTrue();
    assertThat(n.get("journal").get("backlog").asLong()).isEqualTo(6);
    assertThat(n.get("kafka").get("status").asText()).isEqualTo("not_asked");
  }

  @Test
  void anIdTheJournalDoesNotHoldSaysWhatTheJournalCovers() throws Exception {
    Path dir = tmp.resolve("journal");
    journal(dir, 3, 2);
    String old =
        new EventIds(Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC))
            .next()
            .toString();
    Result aged = run("trace", "--dir", dir.toString(), old);
    assertThat(aged.exit()).as(aged.err()).isZero();
    assertThat(aged.out())
        .contains("aged out of its retention, or never received")
        .contains("no entry with this id; the journal holds entries 0x")
        .contains("before the oldest entry: if this gateway received it, it has aged out");

    String fresh = new EventIds(Clock.systemUTC()).next().toString();
    Result later = run("trace", "--dir", dir.toString(), fresh, "--json");
    assertThat(JSON.readTree(later.out()).get("fate").asText()).isEqualTo("not_found");
  }

  @Test
  void aDevicesLastEventsAreListedWithTheirFates() throws Exception {
    Path dir = tmp.resolve("journal");
    List<JournalEvent> written = journal(dir, 10, 4);
    Result text = run("trace", "--dir", dir.toString(), "--device", "dev-1", "--last", "3");
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("Device dev-1: the last 3 events")
        .contains(written.get(5).eventId().toString())
        .contains(written.get(9).eventId().toString())
        .doesNotContain(written.get(3).eventId().toString())
        .contains("1st after the checkpoint");

    Result json =
        run("trace", "--dir", dir.toString(), "--device", "dev-1", "--last", "3", "--json");
    JsonNode n = JSON.readTree(json.out());
    assertThat(n.get("events")).hasSize(3);
    assertThat(n.get("events").get(0).get("fate").asText()).isEqualTo("backlog");
    assertThat(n.get("events").get(2).get("entry").get("index").asLong()).isPositive();
  }

  @Test
  void kafkaOutOfReachPrintsTheJournalsAnswerAndExits1() throws Exception {
    Path dataDir = tmp.resolve("gw");
    List<JournalEvent> written = journal(dataDir.resolve("journal"), 4, 1);
    Path yaml = tmp.resolve("gateway.yaml");
    Files.writeString(
        yaml,
        String.join(
            "\n",
            "gateway:",
            "  id: t",
            "  dataDir: " + dataDir,
            "kafka:",
            "  bootstrapServers: 127.0.0.1:1",
            ""));
    Result r =
        run(
            "trace",
            "--config",
            yaml.toString(),
            written.get(3).eventId().toString(),
            "--timeout",
            "1s");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains("in the backlog")
        .contains("Kafka      could not be asked: Kafka at 127.0.0.1:1")
        .contains("the journal's answer above is all there is");

    // An id with no time in it, not in the journal: there is nothing to search Kafka from.
    Result untimed =
        run("trace", "--config", yaml.toString(), java.util.UUID.randomUUID().toString());
    assertThat(untimed.exit()).as(untimed.out() + untimed.err()).isZero();
    assertThat(untimed.out())
        .contains(": not found")
        .contains("not one of the gateway's time-ordered ids")
        .contains("Kafka      not asked: the id carries no time to search Kafka from");
  }

  @Test
  void usageErrorsExitWith2() throws Exception {
    Path dir = tmp.resolve("journal");
    List<JournalEvent> written = journal(dir, 1, -1);
    String id = written.get(0).eventId().toString();
    assertThat(run("trace", "--dir", dir.toString()).exit()).isEqualTo(2);
    assertThat(run("trace", "--dir", dir.toString(), "not-a-uuid").err())
        .contains("is not an event id");
    assertThat(run("trace", "--dir", dir.toString(), id, "--device", "d").exit()).isEqualTo(2);
    assertThat(run("trace", "--dir", dir.toString(), id, "--last", "3").err())
        .contains("go with --device");
    assertThat(run("trace", "--dir", dir.toString(), "--device", "d", "--last", "0").exit())
        .isEqualTo(2);
    assertThat(run("trace", "--dir", dir.toString(), "--device", "d", "--since", "soon").err())
        .contains("neither a time");
    assertThat(run("trace", "--dir", tmp.resolve("none").toString(), id).exit()).isEqualTo(2);
  }
}
