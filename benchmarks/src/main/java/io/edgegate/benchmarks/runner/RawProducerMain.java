package io.edgegate.benchmarks.runner;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The ceiling of the Kafka side: a plain producer sending records of the benchmark's payload size,
 * keyed by as many device ids as the gateway runs see, with the producer settings the gateway uses
 * (acks=all, idempotence, linger 5 ms, lz4). Usage: {@code RawProducerMain BOOTSTRAP TOPIC SIZE
 * SECONDS RATE KEYS [headers]} (RATE 0 = as fast as the producer takes them; {@code headers}: each
 * record carries headers shaped like the gateway's envelope, built per record as the gateway builds
 * them, to tell the Kafka client's cost of the envelope from the gateway's own). Prints one line
 * {@code result records=… seconds=… cpu=… p50=… p99=… p999=…} (CPU of this process over the send
 * window only, from /proc; latency send → acknowledgement in ms).
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

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    int size = Integer.parseInt(args[2]);
    double seconds = Double.parseDouble(args[3]);
    double rate = Double.parseDouble(args[4]);
    int keys = Integer.parseInt(args[5]);
    boolean headers = args.length > 6 && "headers".equals(args[6]);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    String[] ids = new String[keys];
    for (int i = 0; i < keys; i++) {
      ids[i] = String.format(Locale.ROOT, "sim-%04d", i + 1);
    }
    long pid = ProcessHandle.current().pid();
    Recorder latency = new Recorder(3);
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      producer.partitionsFor(topic); // metadata (and topic creation) outside the measured window
      double cpu0 = ProcessProbe.cpuSeconds(pid);
      long t0 = System.nanoTime();
      long end = t0 + (long) (seconds * 1e9);
      long sent = 0;
      for (long now = t0; now < end; now = System.nanoTime()) {
        if (rate > 0 && sent >= (now - t0) / 1e9 * rate) {
          TimeUnit.MICROSECONDS.sleep(200); // pacing: ahead of the target rate
          continue;
        }
        byte[] value = new byte[size];
        String key = ids[(int) (sent % keys)];
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        if (headers) {
          envelopeHeaders(record.headers(), key, sent);
        }
        long sentAt = System.nanoTime();
        producer.send(
            record,
            (md, e) -> {
              if (e == null) {
                latency.recordValue((System.nanoTime() - sentAt) / 1000);
                acked.incrementAndGet();
              } else {
                failed.incrementAndGet();
              }
            });
        sent++;
      }
      producer.flush();
      double elapsed = (System.nanoTime() - t0) / 1e9;
      double cpu = ProcessProbe.cpuSeconds(pid) - cpu0;
      var h = latency.getIntervalHistogram();
      System.out.printf(
          Locale.ROOT,
          "result records=%d failed=%d seconds=%.3f cpu=%.3f p50=%.3f p99=%.3f p999=%.3f%n",
          acked.get(),
          failed.get(),
          elapsed,
          cpu,
          h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0,
          h.getValueAtPercentile(99.9) / 1000.0);
      System.out.flush();
    }
  }
}
