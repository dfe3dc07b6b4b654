package io.edgegate.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.pipeline.EventProcessor;
import io.edgegate.gateway.pipeline.PipelineStats;
import io.edgegate.gateway.pipeline.enrich.DeviceRegistry;
import io.edgegate.gateway.pipeline.schema.SchemaCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-event cost of the pipeline stage (route match, registry lookup, JSON parse, schema
 * validation and upcast, enrichment, envelope) on one core, for three kinds of rule: a plain binary
 * route, the full JSON contract (v1 payload validated, upcast to v2, fat-enriched), and a
 * structured CloudEvent. The record built is returned so JMH keeps the work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
public class PipelineBenchmark {
  private EventProcessor processor;
  private JournalEvent binary;
  private JournalEvent telemetryV1;
  private JournalEvent status;
  private int i;

  @Setup
  public void setUp() throws Exception {
    Path dir = Files.createTempDirectory("edgegate-bench");
    Files.writeString(
        dir.resolve("v1.json"),
        "{\"type\":\"object\",\"required\":[\"temp\"],\"properties\":{\"temp\":{\"type\":\"number\"}}}");
    Files.writeString(
        dir.resolve("v2.json"),
        "{\"type\":\"object\",\"required\":[\"temperature\",\"unit\"],\"properties\":{"
            + "\"temperature\":{\"type\":\"number\"},\"unit\":{\"enum\":[\"C\",\"F\"]}}}");
    Files.writeString(
        dir.resolve("devices.yaml"), "dev-1: {site: plant-a, model: X1, firmware: '2.1'}\n");
    GatewayConfig config =
        ConfigLoader.parse(
            "bench.yaml",
            """
            gateway: {id: bench}
            kafka: {bootstrapServers: 'k:9092'}
            pipeline:
              routes:
                - {match: 'devices/{deviceId}/telemetry', topic: iot.telemetry, schema: telemetry,
                   version: {field: v}, format: json, enrichment: fat}
                - {match: 'devices/{deviceId}/status', topic: iot.status, format: json, envelope: structured}
                - {match: 'devices/{deviceId}/{kind}', topic: 'iot.{kind}'}
              registry: {file: '%s'}
              schemas:
                telemetry:
                  current: 2
                  versions:
                    1: {file: '%s', upcast: {rename: {temp: temperature}, defaults: {unit: C}}}
                    2: {file: '%s'}
            """
                .formatted(
                    dir.resolve("devices.yaml"), dir.resolve("v1.json"), dir.resolve("v2.json")));
    ObjectMapper json = new ObjectMapper();
    DeviceRegistry registry = new DeviceRegistry(config.pipeline.registry.file);
    registry.reloadIfChanged();
    processor =
        new EventProcessor(
            config,
            json,
            registry,
            SchemaCatalog.load(config.pipeline.schemas, json),
            PipelineStats.NONE);
    EventIds ids = new EventIds(Clock.systemUTC());
    binary = event(ids, "devices/dev-1/raw", "x".repeat(100));
    telemetryV1 =
        event(
            ids,
            "devices/dev-1/telemetry",
            "{\"v\":1,\"temp\":21.5,\"battery\":87,\"ts\":1700000000000}");
    status = event(ids, "devices/dev-1/status", "{\"ok\":true,\"uptime\":12345}");
  }

  private static JournalEvent event(EventIds ids, String topic, String payload) {
    return new JournalEvent(
        1,
        ids.next(),
        System.currentTimeMillis(),
        1,
        "dev-1",
        topic,
        null,
        List.of(),
        payload.getBytes(StandardCharsets.UTF_8));
  }

  @Benchmark
  public ProducerRecord<String, byte[]> binaryRoute() {
    return processor.process(binary);
  }

  @Benchmark
  public ProducerRecord<String, byte[]> jsonValidatedUpcastFat() {
    return processor.process(telemetryV1);
  }

  @Benchmark
  public ProducerRecord<String, byte[]> structuredEnvelope() {
    return processor.process(status);
  }
}
