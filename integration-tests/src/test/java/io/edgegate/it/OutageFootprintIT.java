package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.kafka.embedded.FreePorts;
import io.edgegate.testsupport.GatewayHygiene;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway process under a steady QoS 1 load while Kafka is away for 30 s: its heap and resident
 * memory stay flat (the backlog is on disk), and when Kafka returns the backlog drains faster than
 * events arrive. Reports the figures; asserts the bounds and that nothing acknowledged is lost.
 */
@ExtendWith(GatewayHygiene.class)
class OutageFootprintIT {
  private static final int DEVICES = 5;
  private static final int RATE = 2000; // events per second, all devices together
  @TempDir Path dir;

  @Test
  void memoryStaysFlatDuringAnOutageAndTheBacklogDrainsFasterThanItGrew() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      int mqttPort = FreePorts.one();
      int adminPort = FreePorts.one();
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(
          config,
          """
          gateway: {id: outage, dataDir: '%s'}
          mqtt: {host: 127.0.0.1, port: %d, auth: {anonymous: true}}
          kafka: {bootstrapServers: '%s', topic: %s}
          forward: {retryBackoffMax: 1s, metadataTimeout: 2s}
          admin: {host: 127.0.0.1, port: %d, refreshInterval: 200ms}
          """
              .formatted(
                  dir.resolve("gw"),
                  mqttPort,
                  kafka.bootstrapServers(),
                  TestGateway.TOPIC,
                  adminPort));
      ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
      try (GatewayProcess gw = GatewayProcess.start(config, dir.resolve("logs"), "gw")) {
        List<Device> devices = new ArrayList<>();
        for (int d = 0; d < DEVICES; d++) {
          devices.add(Device.connect("dev-" + d, mqttPort));
        }
        AtomicInteger seq = new AtomicInteger();
        int perTick = RATE / 10 / DEVICES;
        load.scheduleAtFixedRate(
            () -> {
              int from = seq.getAndAdd(perTick);
              devices.forEach(d -> d.publish(from, perTick, MqttQos.AT_LEAST_ONCE, 200));
            },
            0,
            100,
            TimeUnit.MILLISECONDS);

        await().atMost(Duration.ofSeconds(60)).until(() -> acked(devices) >= RATE * 10);
        Footprint before = Footprint.of(gw.pid());

        kafka.stop();
        int ackedAtStop = acked(devices);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> acked(devices) >= ackedAtStop + RATE * 15);
        Footprint during15 = Footprint.of(gw.pid());
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> acked(devices) >= ackedAtStop + RATE * 30);
        Footprint during30 = Footprint.of(gw.pid());
        long backlog = metric(adminPort, "edgegate_backlog_events");
        assertThat(backlog).isGreaterThan(RATE * 20L);

        long drainStart = System.nanoTime();
        kafka.startAgain();
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> metric(adminPort, "edgegate_backlog_events") < RATE / 5);
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        Footprint after = Footprint.of(gw.pid());

        load.shutdown();
        load.awaitTermination(10, TimeUnit.SECONDS);
        devices.forEach(Device::close);
        int total = acked(devices);
        // While draining, new events kept arriving at RATE: the drain rate is over both.
        double drainRate = (backlog + RATE * drainSeconds) / drainSeconds;
        System.out.printf(
            "[measure] steady %d events/s, Kafka away 30 s: backlog %d events; drained in %.1f s"
                + " = %.0f events/s = %.1fx the ingest rate%n",
            RATE, backlog, drainSeconds, drainRate, drainRate / RATE);
        System.out.printf(
            "[measure] gateway process (-Xmx256m): heap after GC / RSS:%n  before       %s%n  outage 15 s  %s%n"
                + "  outage 30 s  %s%n  after drain  %s%n",
            before, during15, during30, after);

        assertThat(during30.heapAfterGc - before.heapAfterGc)
            .as("heap growth")
            .isLessThan(32L << 20);
        // File-backed RSS is the memory-mapped journal: page cache the kernel reclaims at will.
        assertThat(during30.rssAnon - during15.rssAnon)
            .as("anonymous RSS growth in the second half of the outage")
            .isLessThan(32L << 20);
        List<ConsumerRecord<String, byte[]>> records =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, total, Duration.ofSeconds(120));
        Map<String, List<Integer>> byDevice = Events.byDevice(records);
        for (Device d : devices) {
          Set<Integer> found = new HashSet<>(byDevice.get(d.id));
          assertThat(found).containsAll(d.acked);
        }
      } finally {
        load.shutdownNow();
      }
    }
  }

  private static int acked(List<Device> devices) {
    return devices.stream().mapToInt(d -> d.acked.size()).sum();
  }

  private static long metric(int port, String name) throws IOException, InterruptedException {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(body);
    if (!m.find()) {
      throw new AssertionError("no " + name + " in /metrics");
    }
    return (long) Double.parseDouble(m.group(2));
  }

  /** Heap after a full GC (jcmd) and resident set size (/proc) of a process. */
  record Footprint(long heapAfterGc, long rss, long rssAnon, long rssFile) {
    static Footprint of(long pid) throws IOException, InterruptedException {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      run(jcmd.toString(), Long.toString(pid), "GC.run");
      String heap = run(jcmd.toString(), Long.toString(pid), "GC.heap_info");
      // One line per generation (Serial, Parallel) or one for the whole heap (G1): their sum.
      Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(heap);
      long heapBytes = 0;
      while (used.find()) {
        heapBytes += Long.parseLong(used.group(1)) * 1024;
      }
      long rss = -1;
      long anon = -1;
      long file = -1;
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        long kib =
            line.matches("^\\w+:\\s+\\d+ kB$") ? Long.parseLong(line.replaceAll("\\D+", "")) : -1;
        if (line.startsWith("VmRSS:")) {
          rss = kib * 1024;
        } else if (line.startsWith("RssAnon:")) {
          anon = kib * 1024;
        } else if (line.startsWith("RssFile:")) {
          file = kib * 1024;
        }
      }
      return new Footprint(heapBytes, rss, anon, file);
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    }

    @Override
    public String toString() {
      return (heapAfterGc >> 20)
          + " MiB / "
          + (rss >> 20)
          + " MiB ("
          + (rssAnon >> 20)
          + " anonymous + "
          + (rssFile >> 20)
          + " file-backed, mostly journal pages)";
    }
  }
}
