package io.edgegate.gateway.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplaySummaryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ReplaySummary sample(boolean dryRun) {
    ReplaySummary s = new ReplaySummary("events.dlq", dryRun);
    DeadLetter d = ReplayFilterTest.deadLetter("schema-invalid", "dev-1", Instant.EPOCH);
    for (int i = 0; i < 8; i++) {
      s.countExamined();
    }
    s.countPassed("iot.telemetry");
    s.countPassed("iot.telemetry");
    s.countPassed("iot.status");
    s.countStillFailing(d, "schema-invalid", "$.temperature: must be at most 100");
    s.countAlreadyReplayed();
    s.countSkippedByFilters();
    s.countNotReplayable("not replayable: missing edgegate_dlq_device_content_type");
    s.countOtherGateway();
    return s;
  }

  @Test
  void countsAddUpByTopicAndReason() {
    ReplaySummary s = sample(false);
    assertThat(s.examined()).isEqualTo(8);
    assertThat(s.passed()).isEqualTo(3);
    assertThat(s.passedByTopic()).isEqualTo(Map.of("iot.telemetry", 2L, "iot.status", 1L));
    assertThat(s.stillFailingByReason()).isEqualTo(Map.of("schema-invalid", 1L));
    assertThat(
            s.passed()
                + s.stillFailing()
                + s.alreadyReplayed()
                + s.skippedByFilters()
                + s.notReplayable()
                + s.otherGateways()
                + s.repeats()
                + s.expired())
        .as("every dead letter read is in exactly one count")
        .isEqualTo(s.examined());
    assertThat(s.complete()).isTrue();
  }

  @Test
  void linesNameEachCountAndListWhatStillFailsWithItsNewReason() {
    String text = String.join("\n", sample(false).lines());
    assertThat(text)
        .startsWith("dead-letter replay of events.dlq: 8 dead letter(s) read")
        .contains("passed, sent         3 (iot.status 1, iot.telemetry 2)")
        .contains("still failing        1 (schema-invalid 1)")
        .contains("already replayed     1")
        .contains("skipped by filters   1")
        .contains("another gateway's    1")
        .contains(
            "not replayable       1 (not replayable: missing edgegate_dlq_device_content_type 1)")
        .contains(
            "dlq/0/7 ce_id=null device=dev-1 schema-invalid -> schema-invalid:"
                + " $.temperature: must be at most 100")
        .doesNotContain("expired")
        .doesNotContain("failed");
    assertThat(String.join("\n", sample(true).lines()))
        .contains("(dry run: nothing sent)")
        .contains("would pass           3");
  }

  @Test
  void aFailedCommitMakesItIncompleteAndSaysSo() {
    ReplaySummary s = sample(false);
    s.countFailed(4, "4 event(s) not sent");
    assertThat(s.complete()).isFalse();
    assertThat(s.lines()).contains("  failed, not sent     4", "  problem: 4 event(s) not sent");
  }

  @Test
  void jsonHasTheSameCounts() {
    JsonNode j = sample(true).json(JSON);
    assertThat(j.get("dryRun").asBoolean()).isTrue();
    assertThat(j.get("examined").asLong()).isEqualTo(8);
    assertThat(j.get("passed").asLong()).isEqualTo(3);
    assertThat(j.get("passedByTopic").get("iot.telemetry").asLong()).isEqualTo(2);
    assertThat(j.get("stillFailingByReason").get("schema-invalid").asLong()).isEqualTo(1);
    assertThat(j.get("alreadyReplayed").asLong()).isEqualTo(1);
    assertThat(j.get("skippedByFilters").asLong()).isEqualTo(1);
    assertThat(j.get("notReplayable").asLong()).isEqualTo(1);
    JsonNode failing = j.get("stillFailingEvents").get(0);
    assertThat(failing.get("device").asText()).isEqualTo("dev-1");
    assertThat(failing.get("was").asText()).isEqualTo("schema-invalid");
    assertThat(failing.get("now").asText()).isEqualTo("schema-invalid");
    assertThat(failing.get("position").asText()).isEqualTo("dlq/0/7");
  }
}
