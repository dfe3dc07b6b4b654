package io.edgegate.benchmarks.runner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ceiling of the Kafka side: a plain producer with the settings the gateway uses (acks=all,
 * idempotence, linger 5 ms, lz4, at most 5 requests in flight). Usage: {@code RawProducerMain
 * BOOTSTRAP TOPIC SIZE SECONDS RATE KEYS MODE WARM_SECONDS [SOURCE_TOPIC MAX_RECORDS]}.
 *
 * <ul>
 *   <li>RATE 0 = as fast as the producer takes them.
 *   <li>MODE {@code plain}: SIZE-byte values keyed by KEYS device ids; {@code headers}: besides,
 *       headers shaped like the gateway's envelope, built per record; {@code replay}: the records
 *       the gateway wrote to SOURCE_TOPIC (up to MAX_RECORDS, read before anything is measured),
 *       sent again byte for byte — same keys, headers, values — round and round.
 *   <li>WARM_SECONDS of sending before the measured window (the JIT's work stays outside it).
 * </ul>
 *
 * Prints one line {@code result records=… seconds=… cpu=… p50=… p99=… p999=… append50=… append99=…
 * append999=…}: CPU of this process over the measured window (from /proc), latency send →
 * acknowledgement in ms, and send → the record's timestamp in ms (on a topic with {@code
 * message.timestamp.type=LogAppendTime}: the moment the broker appended it).
 */
public final class RawProducerMain {
  private RawProducerMain() {}

  /** The gateway's binary-mode CloudEvents headers and the simulator's four user properties. */
  private static void envelopeHeaders(Headers h, String device, long seq) {
    UUID id = UUID.randomUUID();
    h.add("ce_specversion", bytes("1.0"));
    h.add("ce_id", bytes(id.toString()));
    h.add("ce_source", bytes("edgegate://bench/" + device));
    h.add("ce_type", bytes("io.edgegate.event"));
    h.add("ce_time", bytes(Instant.now().toString()));
    h.add("content-type", bytes("application/octet-stream"));
    String trace = id.toString().replace("-", "");
    h.add("traceparent", bytes("00-" + trace + "-" + trace.substring(0, 16) + "-01"));
    h.add("mqtt_topic", bytes("devices/" + device + "/telemetry"));
    h.add("mqtt_qos", bytes("1"));
    h.add("mqtt_user_sim-run", bytes("01-edgegate-batch-q1-c100"));
    h.add("mqtt_user_sim-device", bytes(device));
    h.add("mqtt_user_sim-seq", bytes(Long.toString(seq)));
    h.add("mqtt_user_sim-sent-at", bytes(Long.toString(System.currentTimeMillis())));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A record as the gateway wrote it. */
  private record Template(byte[] key, byte[] value, Header[] headers) {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    int size = Integer.parseInt(args[2]);
    double seconds = Double.parseDouble(args[3]);
    double rate = Double.parseDouble(args[4]);
    int keys = Integer.parseInt(args[5]);
    String mode = args.length > 6 ? args[6] : "plain";
    double warmSeconds = args.length > 7 ? Double.parseDouble(args[7]) : 0;
    List<Template> replay =
        "replay".equals(mode) ? read(bootstrap, args[8], Integer.parseInt(args[9])) : List.of();
    if ("replay".equals(mode) && replay.isEmpty()) {
      throw new IllegalStateException("no records to replay in " + args[8]);
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    byte[][] ids = new byte[keys][];
    String[] names = new String[keys];
    for (int i = 0; i < keys; i++) {
      names[i] = String.format(Locale.ROOT, "sim-%04d", i + 1);
      ids[i] = bytes(names[i]);
    }
    long pid = ProcessHandle.current().pid();
    Recorder ackLatency = new Recorder(3);
    Recorder appendLatency = new Recorder(3);
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      producer.partitionsFor(topic); // metadata (and topic creation) outside the measured window
      for (int phase = warmSeconds > 0 ? 0 : 1; phase < 2; phase++) {
        boolean measured = phase == 1;
        double cpu0 = ProcessProbe.cpuSeconds(pid);
        long t0 = System.nanoTime();
        long end = t0 + (long) ((measured ? seconds : warmSeconds) * 1e9);
        long sent = 0;
        for (long now = t0; now < end; now = System.nanoTime()) {
          if (rate > 0 && sent >= (now - t0) / 1e9 * rate) {
            TimeUnit.MICROSECONDS.sleep(200); // pacing: ahead of the target rate
            continue;
          }
          ProducerRecord<byte[], byte[]> record;
          if (!replay.isEmpty()) {
            Template t = replay.get((int) (sent % replay.size()));
            record =
                new ProducerRecord<>(topic, null, t.key, t.value, new RecordHeaders(t.headers));
          } else {
            int k = (int) (sent % keys);
            record = new ProducerRecord<>(topic, ids[k], new byte[size]);
            if ("headers".equals(mode)) {
              envelopeHeaders(record.headers(), names[k], sent);
            }
          }
          long sentAt = System.nanoTime();
          long sentAtMillis = System.currentTimeMillis();
          producer.send(
              record,
              (md, e) -> {
                if (!measured) {
                  return;
                }
                if (e == null) {
                  ackLatency.recordValue((System.nanoTime() - sentAt) / 1000);
                  appendLatency.recordValue(Math.max(0, md.timestamp() - sentAtMillis));
                  acked.incrementAndGet();
                } else {
                  failed.incrementAndGet();
                }
              });
          sent++;
        }
        producer.flush();
        if (!measured) {
          continue;
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double cpu = ProcessProbe.cpuSeconds(pid) - cpu0;
        var h = ackLatency.getIntervalHistogram();
        var a = appendLatency.getIntervalHistogram();
        System.out.printf(
            Locale.ROOT,
            "result records=%d failed=%d seconds=%.3f cpu=%.3f p50=%.3f p99=%.3f p999=%.3f"
                + " append50=%d append99=%d append999=%d replayed=%d%n",
            acked.get(),
            failed.get(),
            elapsed,
            cpu,
            h.getValueAtPercentile(50) / 1000.0,
            h.getValueAtPercentile(99) / 1000.0,
            h.getValueAtPercentile(99.9) / 1000.0,
            a.getValueAtPercentile(50),
            a.getValueAtPercentile(99),
            a.getValueAtPercentile(99.9),
            replay.size());
        System.out.flush();
      }
    }
  }

  /** Up to {@code max} records of {@code topic}, all partitions from the start. */
  private static List<Template> read(String bootstrap, String topic, int max) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    List<Template> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long quietSince = System.nanoTime();
      while (out.size() < max && System.nanoTime() - quietSince < 3e9) {
        var records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          quietSince = System.nanoTime();
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
          if (out.size() < max) {
            out.add(new Template(r.key(), r.value(), r.headers().toArray()));
          }
        }
      }
    }
    return out;
  }
}
