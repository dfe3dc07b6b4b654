package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.edgegate.kafka.embedded.FreePorts;
import io.edgegate.testsupport.GatewayHygiene;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 concurrent MQTT 5 connections on one gateway process started by the launcher, with the
 * memory flags of its profile ({@code -Dit.memory.profile}, default {@code default}; {@code
 * -Dit.memory.budget} sets memory.budget), 1 % of them ({@code -Dit.c10k.active}) publishing QoS 1
 * meanwhile: connection set-up rate, heap and resident memory per connection, idle and under load,
 * acknowledgement latency of the active devices, and every acknowledged event in Kafka. {@code
 * -Dit.gateway.javaOpts} adds JVM options to the gateway's (e.g. {@code
 * -XX:NativeMemoryTracking=summary}, whose summary is then printed).
 */
@ExtendWith(GatewayHygiene.class)
class TenThousandDevicesIT {
  private static final int CONNECTIONS = 10_000;
  private static final int ACTIVE = Integer.getInteger("it.c10k.active", CONNECTIONS / 100);
  private static final String PROFILE = System.getProperty("it.memory.profile", "default");
  private static final String JAVA_OPTS = System.getProperty("it.gateway.javaOpts", "");
  // memory.budget for the gateway (e.g. 384MiB); absent: the launcher's default
  private static final String BUDGET = System.getProperty("it.memory.budget");
  // connects in flight at once: a device fleet reconnecting after a power cut, not all at once
  private static final int CONNECTING = 500;
  private static final Duration PUBLISH_EVERY = Duration.ofMillis(100);
  private static final Duration ACTIVE_PHASE = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void tenThousandConnectionsWithOnePercentPublishing() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      int mqttPort = FreePorts.one();
      int adminPort = FreePorts.one();
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(
          config,
          """
          gateway: {id: c10k, dataDir: '%s'}
          mqtt: {host: 127.0.0.1, port: %d, auth: {anonymous: true}, limits: {maxConnections: %d}}
          journal: {sync: batch}
          kafka: {bootstrapServers: '%s', topic: %s}
          admin: {host: 127.0.0.1, port: %d, refreshInterval: 1s}
          memory: {profile: %s%s}
          """
              .formatted(
                  dir.resolve("gw"),
                  mqttPort,
                  CONNECTIONS + 100,
                  kafka.bootstrapServers(),
                  TestGateway.TOPIC,
                  adminPort,
                  PROFILE,
                  BUDGET == null ? "" : ", budget: " + BUDGET));
      List<Mqtt5AsyncClient> clients = new ArrayList<>(CONNECTIONS);
      Map<String, String> env = new HashMap<>();
      if (!JAVA_OPTS.isBlank()) {
        env.put("JAVA_OPTS", JAVA_OPTS);
      }
      try (GatewayProcess gw =
          GatewayProcess.startWithLauncher(
              config, Path.of("target", "c10k-logs"), "c10k-" + PROFILE, env)) {
        String memoryLine =
            gw.stderr()
                .lines()
                .filter(l -> l.contains("Memory: "))
                .findFirst()
                .map(l -> l.substring(l.indexOf("Memory: ")))
                .orElse("Memory: (not logged)");
        var idle = OutageFootprintIT.Footprint.of(gw.pid());
        Map<String, Long> idleClasses = histogram(gw.pid());

        // Set-up: CONNECTING connects in flight at a time, each a full MQTT 5 CONNECT/CONNACK.
        Semaphore inFlight = new Semaphore(CONNECTING);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger connected = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < CONNECTIONS; i++) {
          Mqtt5AsyncClient client =
              MqttClient.builder()
                  .useMqttVersion5()
                  .identifier(String.format("dev-%05d", i))
                  .serverHost("127.0.0.1")
                  .serverPort(mqttPort)
                  .buildAsync();
          clients.add(client);
          inFlight.acquire();
          client
              .connectWith()
              .cleanStart(true)
              .keepAlive(300)
              .send()
              .whenComplete(
                  (ack, error) -> {
                    if (error == null) {
                      connected.incrementAndGet();
                    } else {
                      failures.add(error);
                    }
                    inFlight.release();
                  });
        }
        await().atMost(WAIT).until(() -> connected.get() + failures.size() == CONNECTIONS);
        long setupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(failures).as("connections refused or failed").isEmpty();
        await()
            .atMost(WAIT)
            .until(() -> metric(adminPort, "edgegate_mqtt_connections") == CONNECTIONS);
        var loaded = OutageFootprintIT.Footprint.of(gw.pid());
        Map<String, Long> loadedClasses = histogram(gw.pid());

        // 1 % of the devices publish one QoS 1 event every PUBLISH_EVERY while all stay connected.
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        Map<String, Set<Integer>> acked = new ConcurrentHashMap<>();
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
        ConcurrentLinkedQueue<CompletableFuture<?>> sends = new ConcurrentLinkedQueue<>();
        try {
          for (int a = 0; a < ACTIVE; a++) {
            Mqtt5AsyncClient client = clients.get(a * (CONNECTIONS / ACTIVE));
            String id = client.getConfig().getClientIdentifier().orElseThrow().toString();
            AtomicInteger seq = new AtomicInteger();
            pacer.scheduleAtFixedRate(
                () -> {
                  int s = seq.getAndIncrement();
                  long sent = System.nanoTime();
                  sends.add(
                      client
                          .publishWith()
                          .topic(Device.topic(id))
                          .qos(MqttQos.AT_LEAST_ONCE)
                          .payload(Device.payload(id, s, 100))
                          .send()
                          .thenAccept(
                              r -> {
                                if (r.getError().isEmpty()) {
                                  latencies.add(System.nanoTime() - sent);
                                  acked
                                      .computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet())
                                      .add(s);
                                }
                              }));
                },
                a * PUBLISH_EVERY.toMillis() / ACTIVE, // spread the devices over the period
                PUBLISH_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
          }
          // The active phase is a fixed load duration, not a synchronisation.
          pacer.awaitTermination(ACTIVE_PHASE.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
          pacer.shutdownNow();
          pacer.awaitTermination(10, TimeUnit.SECONDS);
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        var busy = OutageFootprintIT.Footprint.of(gw.pid());
        Map<String, Long> busyClasses = histogram(gw.pid());
        int total = acked.values().stream().mapToInt(Set::size).sum();
        assertThat(total).as("events acknowledged").isEqualTo(sends.size());
        await().atMost(WAIT).until(() -> metric(adminPort, "edgegate_backlog_events") == 0);
        List<ConsumerRecord<String, byte[]>> records =
            KafkaTopic.readAll(kafka.bootstrapServers(), TestGateway.TOPIC, total, WAIT);
        Map<String, Set<Integer>> found = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
          found.computeIfAbsent(r.key(), k -> new HashSet<>()).add(Events.seq(r));
        }
        acked.forEach(
            (id, seqs) ->
                assertThat(found.get(id)).as("events of %s in Kafka", id).containsAll(seqs));
        Events.assertFirstAppearancesInOrder(Events.byDevice(records));

        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
            "[measure] %d MQTT 5 connections to one gateway process (profile %s; %s): set up in"
                + " %d ms (%.0f connections/s, %d connects in flight); gateway heap after GC %s"
                + " -> %s: %.1f KiB heap and %.1f KiB resident per connection; %d active devices"
                + " x %d events/s: %d acknowledged, all in Kafka, ack latency p50 %.1f ms, p99"
                + " %.1f ms, max %.1f ms; after the load: %s%n",
            CONNECTIONS,
            PROFILE,
            memoryLine,
            setupMillis,
            CONNECTIONS * 1000.0 / setupMillis,
            CONNECTING,
            idle,
            loaded,
            (loaded.heapAfterGc() - idle.heapAfterGc()) / 1024.0 / CONNECTIONS,
            (loaded.rss() - idle.rss()) / 1024.0 / CONNECTIONS,
            ACTIVE,
            1000 / PUBLISH_EVERY.toMillis(),
            total,
            percentile(sorted, 0.50),
            percentile(sorted, 0.99),
            sorted[sorted.length - 1] / 1e6,
            busy);
        if (JAVA_OPTS.contains("NativeMemoryTracking")) {
          System.out.println("[measure] native memory (jcmd VM.native_memory summary):");
          nativeMemory(gw.pid())
              .lines()
              .filter(l -> l.matches("^(Total|-\\s+\\S.*\\(reserved=).*"))
              .forEach(l -> System.out.println("[measure]   " + l.strip()));
        }
        long perConnection =
            loadedClasses.entrySet().stream()
                    .mapToLong(e -> e.getValue() - idleClasses.getOrDefault(e.getKey(), 0L))
                    .sum()
                / CONNECTIONS;
        System.out.printf(
            "[measure] heap histogram: %.1f MiB before the devices, %d bytes per connection%n",
            idleClasses.values().stream().mapToLong(Long::longValue).sum() / 1048576.0,
            perConnection);
        // By whose classes: what the gateway could change itself, and what its libraries hold.
        Map<String, Long> byOwner = new java.util.TreeMap<>();
        loadedClasses.forEach(
            (name, bytes) ->
                byOwner.merge(owner(name), bytes - idleClasses.getOrDefault(name, 0L), Long::sum));
        System.out.println(
            "[measure] heap per connection by owner: "
                + byOwner.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .map(e -> e.getKey() + " " + e.getValue() / CONNECTIONS + " B")
                    .collect(java.util.stream.Collectors.joining(", ")));
        // A structural bound, not a timing: the average over 10,000 connections of the objects a
        // connection holds moves by about 150 B between runs (6.0 KiB measured in docs/memory.md).
        assertThat(perConnection).as("heap bytes per idle connection").isLessThan(7 * 1024);
        System.out.println("[measure] io.edgegate heap per connection by class:");
        loadedClasses.entrySet().stream()
            .filter(e -> e.getKey().startsWith("io.edgegate."))
            .map(
                e -> Map.entry(e.getKey(), e.getValue() - idleClasses.getOrDefault(e.getKey(), 0L)))
            .filter(e -> e.getValue() >= CONNECTIONS * 8L)
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .forEach(
                e ->
                    System.out.printf(
                        "[measure]   %7.0f bytes  %s%n",
                        e.getValue() / (double) CONNECTIONS, e.getKey()));
        System.out.println("[measure] heap before the devices by class (top 15):");
        idleClasses.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(15)
            .forEach(
                e ->
                    System.out.printf(
                        "[measure]   %7.0f KiB  %s%n", e.getValue() / 1024.0, e.getKey()));
        System.out.println("[measure] heap grown by the load, by class (top 10):");
        busyClasses.entrySet().stream()
            .map(
                e ->
                    Map.entry(
                        e.getKey(), e.getValue() - loadedClasses.getOrDefault(e.getKey(), 0L)))
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(10)
            .forEach(
                e ->
                    System.out.printf(
                        "[measure]   %7.0f KiB  %s%n", e.getValue() / 1024.0, e.getKey()));
        // What the connections cost, by class: where to look for a per-connection saving.
        System.out.println("[measure] heap per connection by class (top 40):");
        loadedClasses.entrySet().stream()
            .map(
                e -> Map.entry(e.getKey(), e.getValue() - idleClasses.getOrDefault(e.getKey(), 0L)))
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(40)
            .forEach(
                e ->
                    System.out.printf(
                        "[measure]   %7.0f bytes  %s%n",
                        e.getValue() / (double) CONNECTIONS, e.getKey()));
        gw.stop();
      } finally {
        for (Mqtt5AsyncClient client : clients) {
          client.disconnect();
        }
      }
    }
  }

  /** Bytes of live objects per class in a process's heap (jcmd GC.class_histogram: after a GC). */
  private static Map<String, Long> histogram(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Map<String, Long> bytes = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)").matcher(out);
    while (m.find()) {
      bytes.merge(m.group(2), Long.parseLong(m.group(1)), Long::sum);
    }
    return bytes;
  }

  private static String owner(String className) {
    if (className.startsWith("sun.nio.") || className.startsWith("java.net.")) {
      return "JDK sockets";
    }
    for (String prefix : new String[] {"io.edgegate", "io.vertx.mqtt", "io.vertx", "io.netty"}) {
      if (className.startsWith(prefix + ".")) {
        return prefix;
      }
    }
    return "arrays, strings, collections";
  }

  private static String nativeMemory(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.native_memory", "summary")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private static double percentile(long[] sortedNanos, double p) {
    return sortedNanos[(int) Math.min(sortedNanos.length - 1, p * sortedNanos.length)] / 1e6;
  }

  private static long metric(int port, String name) throws IOException, InterruptedException {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(body);
    return m.find() ? (long) Double.parseDouble(m.group(2)) : -1;
  }
}
