package io.edgegate.benchmarks.runner;

import io.edgegate.sim.payload.Stamp;
import io.edgegate.sim.payload.StampReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code benchmarks/run --soak MINUTES}: one gateway (shipped default profile, sync batch) under
 * 1,000 devices at half the QoS 1 maximum measured just before, with device churn throughout and a
 * Kafka outage in the middle; every 10 s its heap after GC, RSS, open files, threads, journal disk
 * use, backlog and latency (publish → broker append, read back by a consumer); at the end the
 * simulator's audit. Writes {@code REPORT.md}, {@code soak.csv} and charts into the results
 * directory. Everything scales with the length: warm-up, baseline window and outage.
 */
final class Soak {
  static final String TOPIC = "bench.soak";
  static final int DEVICES = 1_000;
  static final Duration SAMPLE = Duration.ofSeconds(10);
  static final String[] COLUMNS = {
    "seconds",
    "heap_mib",
    "rss_mib",
    "fds",
    "threads",
    "journal_mib",
    "backlog",
    "forwarded_per_s",
    "latency_p50_ms",
    "latency_p99_ms",
    "kafka_up",
    "anon_rss_mib"
  };

  private Soak() {}

  /** Warm-up, baseline window and outage for a soak of {@code total}. */
  record Timing(Duration total, Duration warmUp, Duration baseline, Duration outage) {
    static Timing of(int minutes) {
      Duration total = Duration.ofMinutes(minutes);
      Duration warm = min(Duration.ofMinutes(2), total.dividedBy(10));
      Duration base = min(Duration.ofMinutes(5), total.dividedBy(6));
      Duration outage = min(Duration.ofSeconds(60), total.dividedBy(6));
      return new Timing(total, warm, base, outage);
    }

    Duration outageStart() {
      return total.dividedBy(2).minus(outage.dividedBy(2));
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }
  }

  static int run(Bench b, int minutes, Map<String, Object> machine) throws Exception {
    if (minutes < 1) {
      System.err.println("--soak: at least 1 minute");
      return 2;
    }
    Timing timing = Timing.of(minutes);
    Path out = b.out;
    Files.createDirectories(out);
    List<double[]> samples = new ArrayList<>();
    SimChild.Audit audit;
    SimChild.Result run;
    double maxRate;
    double rate;
    GatewayChild.Setup setup = new GatewayChild.Setup("soak", "batch", "at-least-once", TOPIC);
    Path dir = b.work.resolve("gw-soak");
    try (KafkaProcess kafka = new KafkaProcess(b, b.work.resolve("kafka"))) {
      b.kafka = kafka;
      b.log("kafka ready in %.1f s at %s", kafka.start(), kafka.bootstrapServers());
      try (GatewayChild gw =
          GatewayChild.start(
              b, setup, dir, kafka.bootstrapServers(), b.profiles.get(0), Map.of())) {
        // The maximum, briefly (it warms the gateway up as well).
        Duration probe = Duration.ofSeconds(minutes < 10 ? 10 : 20);
        SimChild probeSim =
            SimChild.start(
                b,
                b.runId("soak-max"),
                gw.mqttPort(),
                new SimChild.Load(
                    DEVICES, 1, 0, 0, probe, Duration.ofSeconds(2), 1, References.IN_FLIGHT));
        // The rate Kafka acknowledged while it rose (the devices' connects are not in it).
        EndToEnd.ForwardedSamples forwarded = new EndToEnd.ForwardedSamples(gw, gw.forwarded());
        while (probeSim.alive()) {
          forwarded.take();
          Child.pause(250);
        }
        probeSim.result();
        maxRate = forwarded.rate();
        rate = Math.max(100, Math.floor(maxRate / 2));
        b.log(
            "soak: QoS 1 maximum with %d devices %.0f events/s; soak at %.0f/s for %d min, outage"
                + " of %d s at %d s",
            DEVICES,
            maxRate,
            rate,
            minutes,
            timing.outage().toSeconds(),
            timing.outageStart().toSeconds());
        try (LatencyProbe latency = new LatencyProbe(kafka.bootstrapServers(), TOPIC)) {
          SimChild sim =
              SimChild.start(
                  b,
                  b.runId("soak"),
                  gw.mqttPort(),
                  new SimChild.Load(
                      DEVICES, 1, rate, 0, timing.total(), Duration.ofSeconds(5), 1, 64),
                  List.of(
                      "--churn-every",
                      "10s",
                      "--churn-fraction",
                      "0.05",
                      "--churn-downtime",
                      "1s"));
          try {
            sample(b, gw, dir, kafka, timing, sim, latency, samples);
          } finally {
            if (sim.alive()) {
              sim.stop();
            }
          }
          run = sim.result();
          // Until Kafka has every acknowledged event.
          long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
          while (System.nanoTime() < deadline && !(gw.backlog() == 0)) {
            Child.pause(500);
          }
        }
        audit = SimChild.audit(b, run, kafka.bootstrapServers(), TOPIC);
      }
    } finally {
      DirectoryTrees.deleteTree(dir);
    }
    writeCsv(out.resolve("soak.csv"), samples);
    List<String> charts = SoakReport.charts(out, samples, timing);
    SoakReport.write(
        out.resolve("REPORT.md"),
        b,
        machine,
        minutes,
        timing,
        maxRate,
        rate,
        run,
        audit,
        samples,
        charts);
    b.log(
        "soak: %d samples; audit: %d received, %d lost, %d duplicated; report: %s",
        samples.size(),
        audit.received(),
        audit.lost(),
        audit.duplicates(),
        out.resolve("REPORT.md"));
    return audit.lost() == 0 && audit.duplicates() == 0 ? 0 : 1;
  }

  private static void sample(
      Bench b,
      GatewayChild gw,
      Path dir,
      KafkaProcess kafka,
      Timing timing,
      SimChild sim,
      LatencyProbe latency,
      List<double[]> samples)
      throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    long outageStart = t0 + timing.outageStart().toNanos();
    long outageEnd = outageStart + timing.outage().toNanos();
    boolean down = false;
    boolean restarted = false;
    long next = t0 + SAMPLE.toNanos();
    double lastForwarded = gw.forwarded();
    long lastAt = t0;
    Path journal = Files.isDirectory(dir.resolve("journal")) ? dir.resolve("journal") : dir;
    while (sim.alive()) {
      long now = System.nanoTime();
      if (!down && !restarted && now >= outageStart) {
        kafka.stop();
        down = true;
        b.log("soak: Kafka stopped for %d s", timing.outage().toSeconds());
      } else if (down && now >= outageEnd) {
        kafka.start();
        down = false;
        restarted = true;
        b.log("soak: Kafka back");
      }
      if (now < next) {
        Child.pause(Math.min(200, Math.max(1, (next - now) / 1_000_000)));
        continue;
      }
      next += SAMPLE.toNanos();
      long pid = gw.pid();
      double forwarded = gw.forwarded();
      long at = System.nanoTime();
      double perSecond =
          Double.isNaN(forwarded)
              ? Double.NaN
              : (forwarded - lastForwarded) / ((at - lastAt) / 1e9);
      if (!Double.isNaN(forwarded)) {
        lastForwarded = forwarded;
        lastAt = at;
      }
      Histogram h = latency.interval();
      double[] row = {
        (at - t0) / 1e9,
        ProcessProbe.heapAfterGcBytes(pid) / 1048576.0,
        ProcessProbe.rssBytes(pid) / 1048576.0,
        ProcessProbe.openFiles(pid),
        ProcessProbe.threads(pid),
        ProcessProbe.diskUsageBytes(journal) / 1048576.0,
        gw.backlog(),
        perSecond,
        h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(50),
        h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99),
        down ? 0 : 1,
        // RSS without file-backed pages: the journal's mapped chunks count in VmRSS while mapped,
        // and the kernel reclaims them as page cache; this is the process's own memory.
        ProcessProbe.rssAnonBytes(pid) / 1048576.0
      };
      samples.add(row);
      b.log(
          "soak %4.0f s: heap %.1f MiB, RSS %.0f MiB (anonymous %.0f), %d fds, %d threads, journal %.0f MiB,"
              + " backlog %.0f, %.0f/s, p99 %.0f ms",
          row[0],
          row[1],
          row[2],
          row[11],
          (long) row[3],
          (long) row[4],
          row[5],
          row[6],
          row[7],
          row[9]);
    }
    if (down) {
      kafka.start();
    }
  }

  private static void writeCsv(Path file, List<double[]> samples) throws IOException {
    StringBuilder s = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    for (double[] row : samples) {
      for (int i = 0; i < row.length; i++) {
        s.append(i == 0 ? "" : ",")
            .append(Double.isNaN(row[i]) ? "" : String.format(Locale.ROOT, "%.3f", row[i]));
      }
      s.append('\n');
    }
    Files.writeString(file, s);
  }

  /**
   * Publish → broker append of the soak's records, read back as they arrive: a consumer in this JVM
   * (the topic's timestamps are append times; the publish time is in the simulator's payload
   * stamp). Its own thread; {@link #interval} from the runner's thread.
   */
  static final class LatencyProbe implements AutoCloseable {
    private final Recorder recorder = new Recorder(3);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    LatencyProbe(String bootstrap, String topic) {
      Properties c = new Properties();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      thread =
          new Thread(
              () -> {
                try (consumer) {
                  while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                      Stamp s = StampReader.read(r.value());
                      if (s != null) {
                        recorder.recordValue(Math.max(0, r.timestamp() - s.sentAtMillis()));
                      }
                    }
                  }
                } catch (RuntimeException e) {
                  if (running.get()) {
                    System.err.println("soak latency probe: " + e);
                  }
                }
              },
              "bench-soak-latency");
      thread.setDaemon(true);
      thread.start();
    }

    /** What arrived since the last call. */
    Histogram interval() {
      return recorder.getIntervalHistogram();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }
  }
}
