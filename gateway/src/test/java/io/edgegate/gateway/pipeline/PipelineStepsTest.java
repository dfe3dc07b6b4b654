package io.edgegate.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.pipeline.enrich.DeviceRegistry;
import io.edgegate.gateway.thread.Confinement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steps of the event processor, each by its rule. */
class PipelineStepsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long RECEIVED = 1_700_000_000_000L;
  private final EventIds ids = new EventIds(Clock.systemUTC());
  private final Confinement.Owner owner = Confinement.firstCaller();
  private final List<Long> skews = new ArrayList<>();
  private int duplicates;
  private int unknown;
  private final PipelineStats stats =
      new PipelineStats() {
        @Override
        public void duplicateSuppressed() {
          duplicates++;
        }

        @Override
        public void deviceClockSkew(long millis) {
          skews.add(millis);
        }

        @Override
        public void unknownDevice() {
          unknown++;
        }
      };
  @TempDir Path dir;

  private JournalEvent event(String topic, String payload, JournalEvent.UserProperty... props) {
    return new JournalEvent(
        1,
        ids.next(),
        RECEIVED,
        1,
        "dev-1",
        topic,
        null,
        List.of(props),
        payload.getBytes(StandardCharsets.UTF_8));
  }

  private static ObjectNode object(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  private static List<String> names(List<Header> headers) {
    return headers.stream().map(Header::key).toList();
  }

  @Test
  void commandResponsesAreRoutedBeforeABroadRouteAndTheUnmatchedPolicyDecidesTheRest() {
    GatewayConfig config =
        ConfigLoader.parse(
            "t.yaml",
            """
            kafka: {bootstrapServers: 'k:9092', topic: fallback}
            commands: {enabled: true}
            pipeline:
              routes:
                - {match: 'devices/#', topic: everything}
              unmatched: {topic: other}
            """);
    Routing routing = new Routing(config);
    var response = routing.match("devices/d1/responses/reboot");
    assertThat(response.route().rule().topic).isEqualTo("edgegate.command-responses");
    assertThat(Routing.variables(response, event("devices/d1/responses/reboot", "")))
        .containsEntry("deviceId", "d1")
        .containsEntry("clientId", "dev-1");
    assertThat(routing.match("devices/d1/telemetry").route().rule().topic).isEqualTo("everything");
    assertThat(routing.match("plant/x")).isNull();
    assertThat(routing.unmatched().rule().topic).isEqualTo("other");
    assertThat(Routing.variables(null, event("plant/x", ""))).containsOnlyKeys("clientId");

    config.pipeline.unmatched.policy = PipelineConfig.Unmatched.Policy.DEAD_LETTER;
    assertThat(new Routing(config).unmatched()).as("dead-lettered").isNull();
  }

  @Test
  void anUnknownDeviceIsRefusedFlaggedOrAcceptedAsConfigured() throws Exception {
    Path file = Files.writeString(dir.resolve("devices.yaml"), "dev-1: {site: a}\n");
    DeviceRegistry registry = new DeviceRegistry(file);
    registry.reloadIfChanged();
    PipelineConfig.Registry config = new PipelineConfig.Registry();
    List<Header> headers = new ArrayList<>();
    for (var policy : PipelineConfig.Registry.UnknownDevices.values()) {
      config.unknownDevices = policy;
      DeviceLookup lookup = new DeviceLookup(registry, config, stats, owner);
      assertThat(lookup.refuses(lookup.metadata("dev-1"), headers)).isFalse();
      boolean refused = lookup.refuses(lookup.metadata("dev-2"), headers);
      assertThat(refused)
          .as("%s", policy)
          .isEqualTo(policy == PipelineConfig.Registry.UnknownDevices.DEAD_LETTER);
    }
    assertThat(unknown).isEqualTo(3);
    assertThat(names(headers)).containsExactly("edgegate_device_unknown");
    DeviceLookup none = new DeviceLookup(DeviceRegistry.none(), config, stats, owner);
    assertThat(none.refuses(none.metadata("dev-2"), headers)).as("no registry file").isFalse();
    assertThat(DeviceLookup.deviceId(Map.of(), event("t", ""))).isEqualTo("dev-1");
    assertThat(DeviceLookup.deviceId(Map.of("deviceId", "d7"), event("t", ""))).isEqualTo("d7");
  }

  @Test
  void onlyARouteThatReadsTheBodyNeedsAJsonObject() throws Exception {
    PipelineConfig.Route rule = new PipelineConfig.Route();
    assertThat(BodyParsing.parses(rule)).isFalse();
    rule.format = PipelineConfig.Format.JSON;
    assertThat(BodyParsing.parses(rule)).isTrue();
    assertThat(BodyParsing.needsObject(rule)).isFalse();
    rule.deviceTime = "ts";
    assertThat(BodyParsing.needsObject(rule)).isTrue();
    BodyParsing parsing = new BodyParsing(JSON);
    assertThat(parsing.parse(event("t", ""))).as("empty").isNull();
    assertThat(parsing.parse(event("t", "[1]")).isArray()).isTrue();
  }

  @Test
  void aRepeatIsAnIdSeenBeforeFromTheSameDevice() throws Exception {
    PipelineConfig.Duplicates byField = new PipelineConfig.Duplicates();
    byField.field = "msgId";
    Deduplication d = new Deduplication(byField, stats, owner);
    JournalEvent e = event("t", "");
    assertThat(d.repeat(e, "dev-1", object("{\"msgId\":\"m1\"}"))).isFalse();
    assertThat(d.repeat(e, "dev-1", object("{\"msgId\":\"m1\"}"))).isTrue();
    assertThat(d.repeat(e, "dev-2", object("{\"msgId\":\"m1\"}"))).as("another device").isFalse();
    assertThat(d.repeat(e, "dev-1", object("{\"msgId\":{\"a\":1}}"))).isFalse();
    assertThat(d.repeat(e, "dev-1", object("{\"msgId\":{\"a\":1}}")))
        .as("an object is no id")
        .isFalse();
    assertThat(d.repeat(e, "dev-1", null)).isFalse();
    assertThat(duplicates).isEqualTo(1);

    PipelineConfig.Duplicates byProperty = new PipelineConfig.Duplicates();
    byProperty.userProperty = "mid";
    Deduplication p = new Deduplication(byProperty, stats, owner);
    JournalEvent withId = event("t", "", new JournalEvent.UserProperty("mid", "7"));
    assertThat(p.repeat(withId, "dev-1", null)).isFalse();
    assertThat(p.repeat(withId, "dev-1", null)).isTrue();
    assertThat(
            new Deduplication(new PipelineConfig.Duplicates(), stats, owner)
                .repeat(withId, "dev-1", null))
        .as("off")
        .isFalse();
  }

  @Test
  void theClaimedVersionComesFromTheSegmentThePropertyOrTheField() throws Exception {
    PipelineConfig.VersionSource source = new PipelineConfig.VersionSource();
    JournalEvent e = event("t", "", new JournalEvent.UserProperty("v", "3"));
    ObjectNode body = object("{\"v\":1,\"n\":null}");
    assertThat(ClaimedVersion.of(null, e, body, Map.of())).as("current").isNull();
    source.field = "v";
    assertThat(ClaimedVersion.of(source, e, body, Map.of())).isEqualTo("1");
    source.field = "n";
    assertThat(ClaimedVersion.of(source, e, body, Map.of())).isNull();
    source.userProperty = "v";
    assertThat(ClaimedVersion.of(source, e, body, Map.of())).isEqualTo("3");
    source.segment = "ver";
    assertThat(ClaimedVersion.of(source, e, body, Map.of("ver", "2"))).isEqualTo("2");
    assertThat(SchemaValidation.upcasts(null)).isFalse();
    assertThat(SchemaValidation.upcasts("1")).isTrue();
  }

  @Test
  void deviceTimeReadsSecondsMillisOrAnInstantAndIgnoresTheRest() throws Exception {
    DeviceTime time = new DeviceTime(stats, owner);
    List<Header> headers = new ArrayList<>();
    time.stamp(event("t", ""), object("{\"ts\":1699999999}"), "ts", headers);
    time.stamp(event("t", ""), object("{\"ts\":1699999999500}"), "ts", headers);
    time.stamp(event("t", ""), object("{\"ts\":\"2023-11-14T22:13:10Z\"}"), "ts", headers);
    assertThat(skews).containsExactly(1_000L, 500L, 10_000L);
    assertThat(names(headers))
        .containsExactly(
            "edgegate_device_time", "edgegate_clock_skew_ms",
            "edgegate_device_time", "edgegate_clock_skew_ms",
            "edgegate_device_time", "edgegate_clock_skew_ms");
    assertThat(new String(headers.get(1).value(), StandardCharsets.UTF_8)).isEqualTo("1000");
    headers.clear();
    time.stamp(event("t", ""), object("{\"ts\":\"yesterday\"}"), "ts", headers);
    time.stamp(event("t", ""), object("{}"), "ts", headers);
    assertThat(headers).isEmpty();
    assertThat(skews).hasSize(3);
  }

  @Test
  void fatEnrichmentAddsTheMetadataSparseOnlyTheDeviceHeader() throws Exception {
    Enrichment enrichment = new Enrichment(new Envelope(JSON, "gw"), owner);
    PipelineConfig.Route rule = new PipelineConfig.Route();
    List<Header> headers = new ArrayList<>();
    ObjectNode body = object("{\"t\":1}");
    Map<String, String> meta = Map.of("site", "a");
    assertThat(enrichment.enrich(event("t", ""), rule, "dev-1", meta, body, headers)).isFalse();
    assertThat(names(headers)).containsExactly("edgegate_device");
    headers.clear();
    rule.enrichment = PipelineConfig.Enrichment.FAT;
    assertThat(enrichment.enrich(event("t", ""), rule, "dev-1", null, body, headers))
        .as("fat without metadata")
        .isFalse();
    assertThat(names(headers)).containsExactly("edgegate_device");
    headers.clear();
    assertThat(enrichment.enrich(event("t", ""), rule, "dev-1", meta, body, headers)).isTrue();
    assertThat(names(headers)).containsExactly("edgegate_device_site");
    assertThat(body.get("_device").toString()).isEqualTo("{\"id\":\"dev-1\",\"site\":\"a\"}");
  }

  @Test
  void aStepBelongsToTheThreadOfItsProcessor() throws Exception {
    Deduplication d = new Deduplication(new PipelineConfig.Duplicates(), stats, owner);
    d.repeat(event("t", ""), "dev-1", null);
    CompletableFuture<Throwable> other = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                d.repeat(event("t", ""), "dev-1", null);
                other.complete(null);
              } catch (Throwable e) {
                other.complete(e);
              }
            });
    t.start();
    t.join(5_000);
    assertThat(other.get()).isInstanceOf(AssertionError.class);
  }
}
