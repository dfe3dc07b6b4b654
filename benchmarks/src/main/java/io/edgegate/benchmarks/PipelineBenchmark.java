package io.edgegate.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.journal.EventIds;
import io.edgegate.gateway.journal.JournalCodecAccess;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.pipeline.EventProcessor;
import io.edgegate.gateway.pipeline.PipelineStats;
import io.edgegate.gateway.pipeline.enrich.DeviceRegistry;
import io.edgegate.gateway.pipeline.schema.SchemaCatalog;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.Bytes;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.DefaultRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.internals.ByteBufferOutputStream;
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
 * The per-event cost, on one core, of what the gateway does between the socket and Kafka's batch:
 * the journal entry's encoding (writer) and decoding (reader), the pipeline stage (route match,
 * registry lookup, JSON parse, schema validation and upcast, enrichment, envelope) for four kinds
 * of rule, and the Kafka record as the producer serializes it into a batch (key serializer, {@code
 * DefaultRecord} sizing and writing, which encode every header key). {@link #perEvent} is the whole
 * reader-to-batch path of a typical MQTT 5 event. Run with {@code -prof gc}: {@code
 * gc.alloc.rate.norm} is the bytes allocated per event. What is built is returned so JMH keeps it.
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
  private JournalEvent mqtt5;
  private Bytes<?> encoded;
  private Bytes<?> scratch;
  private ProducerRecord<String, byte[]> built;
  private final StringSerializer keys = new StringSerializer();
  private final ByteBufferOutputStream batch = new ByteBufferOutputStream(64 * 1024);
  private final DataOutputStream batchOut = new DataOutputStream(batch);

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
    // A typical MQTT 5 telemetry event: 100-byte payload, a content type, two user properties.
    mqtt5 =
        new JournalEvent(
            1,
            ids.next(),
            System.currentTimeMillis(),
            1,
            "sensor-0042",
            "devices/sensor-0042/raw",
            "application/octet-stream",
            List.of(
                new JournalEvent.UserProperty("site", "north"),
                new JournalEvent.UserProperty("fw", "2.1.7")),
            "y".repeat(100).getBytes(StandardCharsets.UTF_8));
    encoded = Bytes.allocateElasticOnHeap(512);
    JournalCodecAccess.write(encoded, mqtt5);
    scratch = Bytes.allocateElasticOnHeap(512);
    built = processor.process(mqtt5);
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

  /** The record's bytes as the producer appends them to a batch; returns the record's size. */
  private int toBatch(ProducerRecord<String, byte[]> r) throws IOException {
    byte[] key = keys.serialize(r.topic(), r.key());
    Header[] headers = r.headers().toArray();
    // KafkaProducer.doSend sizes the record (estimateSizeInBytesUpperBound) before appending it.
    int size = DefaultRecord.sizeInBytes(0, 0L, key.length, r.value().length, headers);
    batch.position(0);
    DefaultRecord.writeTo(
        batchOut, 0, 0L, ByteBuffer.wrap(key), ByteBuffer.wrap(r.value()), headers);
    return size + batch.position();
  }

  /** Journal writer: one entry encoded into the queue's buffer. */
  @Benchmark
  public long journalEncode() {
    scratch.clear();
    JournalCodecAccess.write(scratch, mqtt5);
    return scratch.writePosition();
  }

  /** Journal reader: one entry decoded into the event the pipeline takes. */
  @Benchmark
  public JournalEvent journalDecode() {
    encoded.readPosition(0);
    return JournalCodecAccess.read(encoded, 1);
  }

  /** The producer's serialization of one enveloped record (no compression, no network). */
  @Benchmark
  public int kafkaSerialize() throws IOException {
    return toBatch(built);
  }

  /** Reader to batch: decode the entry, envelope it, serialize the record. */
  @Benchmark
  public int perEvent() throws IOException {
    encoded.readPosition(0);
    return toBatch(processor.process(JournalCodecAccess.read(encoded, 1)));
  }

  @Benchmark
  public ProducerRecord<String, byte[]> mqtt5BinaryRoute() {
    return processor.process(mqtt5);
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
