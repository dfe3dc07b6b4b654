package io.edgegate.benchmarks.runner;

import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The ceiling of the Kafka side: a plain producer sending records of the benchmark's payload size,
 * keyed by as many device ids as the gateway runs see, with the producer settings the gateway uses
 * (acks=all, idempotence, linger 5 ms, lz4). Usage: {@code RawProducerMain BOOTSTRAP TOPIC SIZE
 * SECONDS RATE KEYS} (RATE 0 = as fast as the producer takes them). Prints one line {@code result
 * records=… seconds=… cpu=… p50=… p99=… p999=…} (CPU of this process over the send window only,
 * from /proc; latency send → acknowledgement in ms).
 */
public final class RawProducerMain {
  private RawProducerMain() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    int size = Integer.parseInt(args[2]);
    double seconds = Double.parseDouble(args[3]);
    double rate = Double.parseDouble(args[4]);
    int keys = Integer.parseInt(args[5]);
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
        long sentAt = System.nanoTime();
        producer.send(
            new ProducerRecord<>(topic, ids[(int) (sent % keys)], value),
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
