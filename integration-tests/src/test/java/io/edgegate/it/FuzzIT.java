package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.observe.GatewayMetrics;
import io.edgegate.testsupport.GatewayHygiene;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage on the wire: over 100,000 malformed or mutated MQTT packets on thousands of connections
 * while well-behaved devices publish; and connections that trickle bytes (slow loris). The gateway
 * stays up, loses nothing it acknowledged, keeps its heap bounded and closes every bad connection.
 */
@ExtendWith(GatewayHygiene.class)
class FuzzIT {
  private static final int PACKETS = 100_000;

  @TempDir static Path dir;
  @RegisterExtension static final ClassKafka kafka = new ClassKafka();

  private static GatewayConfig config(String name) {
    GatewayConfig c = TestGateway.config(dir.resolve(name), kafka.bootstrapServers());
    c.kafka.topic = name;
    c.mqtt.maxMessageSize = 64 * 1024;
    c.mqtt.connectTimeout = Duration.ofSeconds(2);
    c.mqtt.limits.packetTimeout = Duration.ofSeconds(2);
    return c;
  }

  /** What one fuzz connection did. */
  private record Outcome(int packets, boolean closed) {}

  @Test
  void aHundredThousandBadPacketsLeaveTheGatewayUpAndGoodDevicesLoseNothing() throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    GatewayConfig c = config("fuzz");
    try (TestGateway gw = TestGateway.start(c)) {
      int port = gw.mqttPort();
      List<Device> good = new ArrayList<>();
      List<CompletableFuture<Integer>> streams = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      for (int i = 0; i < 4; i++) {
        Device d = Device.connect("good-" + i, port);
        good.add(d);
        // Ten at a time, each ten after the last ten's PUBACKs: steady traffic through the fuzz
        // without a six-figure backlog that only makes the Kafka check below longer.
        streams.add(d.stream(0, 10, 50, stop));
      }
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();
      AtomicLong heapMax = new AtomicLong();
      AtomicBoolean sampling = new AtomicBoolean(true);
      Thread sampler =
          new Thread(
              () -> {
                while (sampling.get()) {
                  heapMax.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                  java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
                }
              });
      sampler.start();

      long start = System.nanoTime();
      AtomicLong sent = new AtomicLong();
      AtomicLong connections = new AtomicLong();
      ConcurrentLinkedQueue<String> notClosed = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<RawMqtt> slow = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        Random random = new Random(8_000 + w);
        int worker = w;
        workers.add(
            pool.submit(
                () -> {
                  int n = 0;
                  while (sent.get() < PACKETS) {
                    String id = "fz-" + worker + "-" + n++;
                    connections.incrementAndGet();
                    try {
                      RawMqtt r = RawMqtt.open(port);
                      int kind = random.nextInt(100);
                      if (kind < 3) {
                        // truncated: the length says more than ever comes; closed by the deadline
                        byte[] connect = RawMqtt.connect(4, id, 30);
                        r.send(java.util.Arrays.copyOf(connect, connect.length - 3));
                        sent.incrementAndGet();
                        slow.add(r);
                        continue;
                      }
                      Outcome o = kind < 40 ? single(r, random, id) : session(r, random, id);
                      sent.addAndGet(o.packets());
                      if (!o.closed()) {
                        notClosed.add(id + " (kind " + kind + ")");
                      }
                      r.close();
                    } catch (IOException e) {
                      throw new IllegalStateException("fuzz connection " + id, e);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : workers) {
        f.get(150, TimeUnit.SECONDS);
      }
      pool.shutdown();
      double fuzzSeconds = (System.nanoTime() - start) / 1e9;
      for (RawMqtt r : slow) {
        if (!r.closedWithin(5000)) {
          notClosed.add("truncated CONNECT");
        }
        r.close();
      }

      // The good devices kept publishing the whole time.
      stop.set(true);
      for (CompletableFuture<Integer> s : streams) {
        s.get(60, TimeUnit.SECONDS);
      }
      sampling.set(false);
      sampler.join();
      System.gc();
      long heapAfter = memory.getHeapMemoryUsage().getUsed();
      int goodAcked = good.stream().mapToInt(d -> d.acked.size()).sum();
      System.out.printf(
          "[measure] fuzz: %d packets on %d connections in %.1f s (%d truncated CONNECTs) while 4"
              + " devices had %d events acknowledged; refused %s, protocol violations %.0f;"
              + " heap used %d MiB before, %d MiB max during, %d MiB after%n",
          sent.get(),
          connections.get(),
          fuzzSeconds,
          slow.size(),
          goodAcked,
          refusals(gw),
          gw.counter(GatewayMetrics.PROTOCOL_VIOLATIONS),
          heapBefore >> 20,
          heapMax.get() >> 20,
          heapAfter >> 20);
      assertThat(sent.get()).isGreaterThanOrEqualTo(PACKETS);
      assertThat(notClosed).as("bad connections the gateway left open").isEmpty();
      assertThat(goodAcked).as("good devices kept being served").isGreaterThan(400);
      for (Device d : good) {
        assertThat(d.refusals).as("refusals of %s", d.id).isEmpty();
      }
      assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(128L << 20);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(gw.gateway.connectedDevices())
                      .as("devices still registered")
                      .isEqualTo(good.size()));

      // Everything journaled is forwarded; every acknowledged good event is in Kafka, in order.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> gw.counter(GatewayMetrics.FORWARDED) >= gw.counter(GatewayMetrics.JOURNALED));
      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(
              kafka.bootstrapServers(),
              "fuzz",
              (int) gw.counter(GatewayMetrics.FORWARDED),
              Duration.ofSeconds(60));
      Map<String, List<Integer>> byDevice =
          Events.byDevice(records.stream().filter(r -> r.key().startsWith("good-")).toList());
      for (Device d : good) {
        assertThat(byDevice.get(d.id)).as("events of %s", d.id).containsAll(d.acked).isSorted();
      }
      good.forEach(Device::close);
    }
  }

  private static Map<String, Double> refusals(TestGateway gw) {
    Map<String, Double> out = new java.util.TreeMap<>();
    gw.gateway
        .metrics()
        .registry()
        .find(GatewayMetrics.CONNECTIONS_REFUSED)
        .counters()
        .forEach(
            c -> {
              if (c.count() > 0) {
                out.put(c.getId().getTag("reason"), c.count());
              }
            });
    return out;
  }

  /** One bad packet as the first thing on a connection. */
  private static Outcome single(RawMqtt r, Random random, String id) throws IOException {
    byte[] p =
        switch (random.nextInt(8)) {
          case 0 -> randomBytes(random, 1 + random.nextInt(200));
          case 1 -> RawMqtt.publish(4, "devices/" + id + "/t", 1, 1, "{}"); // before CONNECT
          case 2 -> RawMqtt.subscribe(4, 1, "#"); // before CONNECT
          case 3 -> RawMqtt.pingreq(); // before CONNECT
          case 4 -> wrongProtocol(random, id);
          case 5 -> new byte[] {0x10, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}; // 256 MB
          case 6 -> new byte[] {0x10, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
          default -> oversizedConnect(id);
        };
    int sent = write(r, p);
    return new Outcome(sent, r.closedWithin(5000));
  }

  /**
   * A valid CONNECT, then a run of packets, mutated and malformed ones among valid ones, ending
   * with a second CONNECT, which always ends the connection [MQTT-3.1.0-2].
   */
  private static Outcome session(RawMqtt r, Random random, String id) throws IOException {
    int level = random.nextBoolean() ? 4 : 5;
    int sent = write(r, RawMqtt.connect(level, id, 30));
    int n = 20 + random.nextInt(60);
    ByteArrayOutputStream burst = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      burst.writeBytes(mutant(random, level, id, i + 1));
    }
    burst.writeBytes(RawMqtt.connect(level, id, 30));
    try {
      r.send(burst.toByteArray());
      sent += n + 1;
    } catch (IOException e) {
      // the gateway closed it half way: the packets written before count
      sent += 1;
    }
    return new Outcome(sent, r.closedWithin(5000));
  }

  private static int write(RawMqtt r, byte[] p) {
    try {
      r.send(p);
      return 1;
    } catch (IOException e) {
      return 0;
    }
  }

  private static byte[] mutant(Random random, int level, String id, int packetId) {
    String own = "devices/" + id + "/t";
    return switch (random.nextInt(12)) {
      case 0, 1, 2 -> {
        // a valid publish with bits flipped somewhere
        byte[] p =
            RawMqtt.publish(level, own, random.nextInt(3), packetId, "{\"v\":" + packetId + "}");
        for (int k = 0; k < 1 + random.nextInt(3); k++) {
          p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
        }
        yield p;
      }
      case 3 ->
          RawMqtt.publish(
              level, new byte[] {'d', '/', (byte) 0xc3, (byte) 0x28}, 0, 0, new byte[1]);
      case 4 -> RawMqtt.publish(level, "devices/" + id + "/+", 1, packetId, "{}"); // wildcard
      case 5 -> RawMqtt.publish(level, "devices/other/t", 1, packetId, "{}"); // ACL
      case 6 -> hugeProperties(level, own);
      case 7 -> RawMqtt.subscribe(level, packetId, random.nextBoolean() ? "a/#/b" : "+/x+");
      case 8 -> new byte[] {(byte) 0x62, 2, 0x12, 0x34}; // PUBREL for nothing
      case 9 -> new byte[] {(byte) (random.nextBoolean() ? 0x00 : 0xf0), 0}; // reserved types
      case 10 -> RawMqtt.publish(level, own, 3, packetId, "{}"); // QoS 3
      default -> randomBytes(random, 1 + random.nextInt(64));
    };
  }

  private static byte[] hugeProperties(int level, String topic) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    RawMqtt.writeString(b, RawMqtt.utf8(topic));
    if (level >= 5) {
      ByteArrayOutputStream props = new ByteArrayOutputStream();
      for (int i = 0; i < 900; i++) {
        props.write(0x26); // user property
        RawMqtt.writeString(props, RawMqtt.utf8("k" + i));
        RawMqtt.writeString(props, RawMqtt.utf8("v".repeat(60)));
      }
      RawMqtt.writeVarInt(b, props.size());
      b.writeBytes(props.toByteArray());
    } else {
      b.writeBytes(new byte[70_000]); // over mqtt.maxMessageSize
    }
    return RawMqtt.packet(0x30, b.toByteArray());
  }

  private static byte[] wrongProtocol(Random random, String id) {
    byte[] p = RawMqtt.connect(4, id, 30);
    if (random.nextBoolean()) {
      p[8] = (byte) (random.nextBoolean() ? 3 : 99); // protocol level
    } else {
      p[4] = 'X'; // protocol name
    }
    return p;
  }

  private static byte[] oversizedConnect(String id) {
    return RawMqtt.connect(4, id + "x".repeat(70_000), 30);
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @Test
  void slowLorisConnectionsAreClosedByTheDeadlines() throws Exception {
    GatewayConfig c = config("loris");
    try (TestGateway gw = TestGateway.start(c)) {
      int port = gw.mqttPort();
      List<RawMqtt> silent = new ArrayList<>();
      List<byte[]> trickled = new ArrayList<>();
      List<RawMqtt> tricklers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        silent.add(RawMqtt.open(port));
        RawMqtt pre = RawMqtt.open(port);
        tricklers.add(pre);
        trickled.add(RawMqtt.connect(4, "loris-pre-" + i, 30));
        RawMqtt post = RawMqtt.open(port);
        post.send(RawMqtt.connect(4, "loris-" + i, 60));
        assertThat(post.readPacket(5000)[0] & 0xf0).isEqualTo(0x20);
        tricklers.add(post);
        trickled.add(RawMqtt.publish(4, "devices/loris-" + i + "/t", 1, 1, "x".repeat(100)));
      }
      long start = System.nanoTime();
      int[] offset = new int[tricklers.size()];
      boolean[] closed = new boolean[tricklers.size()];
      long[] closedAfter = new long[tricklers.size()];
      // One byte per connection every 300 ms (the poll interval): never silent for long, never a
      // whole packet, until the gateway has closed every one of them or 15 s have passed.
      try {
        await()
            .atMost(Duration.ofSeconds(15))
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(300))
            .until(
                () -> {
                  boolean allClosed = true;
                  for (int i = 0; i < tricklers.size(); i++) {
                    if (closed[i]) {
                      continue;
                    }
                    RawMqtt t = tricklers.get(i);
                    try {
                      t.socket.getOutputStream().write(trickled.get(i)[offset[i]++]);
                    } catch (IOException e) {
                      // reset by the gateway
                    }
                    if (t.closedWithin(1)) {
                      closed[i] = true;
                      closedAfter[i] = (System.nanoTime() - start) / 1_000_000;
                    } else {
                      allClosed = false;
                    }
                  }
                  return allClosed;
                });
      } catch (ConditionTimeoutException e) {
        // reported connection by connection below
      }
      for (int i = 0; i < tricklers.size(); i++) {
        assertThat(closed[i]).as("trickler %d (%d bytes sent)", i, offset[i]).isTrue();
        assertThat(offset[i]).as("never completed its packet").isLessThan(trickled.get(i).length);
      }
      for (RawMqtt s : silent) {
        assertThat(s.closedWithin(5000)).as("silent connection").isTrue();
      }
      long slowest = java.util.Arrays.stream(closedAfter).max().orElse(0);
      System.out.printf(
          "[measure] slow loris: 20 silent, 20 trickling a CONNECT, 20 trickling a PUBLISH"
              + " (1 byte/300 ms) all closed; the last after %d ms (deadlines 2 s)%n",
          slowest);
      assertThat(slowest).isLessThan(6000);
      assertThat(
              DeviceSecurityIT.counter(gw, GatewayMetrics.CONNECTIONS_REFUSED, "connect-timeout"))
          .isGreaterThanOrEqualTo(40);
      assertThat(DeviceSecurityIT.counter(gw, GatewayMetrics.CONNECTIONS_CLOSED, "packet-timeout"))
          .isEqualTo(20);
      silent.forEach(RawMqtt::close);
      tricklers.forEach(RawMqtt::close);
    }
  }
}
