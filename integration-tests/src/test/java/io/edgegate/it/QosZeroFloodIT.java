package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.kafka.embedded.FreePorts;
import io.edgegate.testsupport.GatewayHygiene;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A QoS 0 flood that outruns the journal, so the gateway pauses its devices again and again, on a
 * gateway process with little direct memory. Packets that wait while a connection is paused must
 * not keep the MQTT decoder's buffers growing: every connection stays up, and every event sent is
 * journaled (none dropped: there is disk, and a paused device waits rather than loses).
 */
@ExtendWith(GatewayHygiene.class)
class QosZeroFloodIT {
  private static final int DEVICES = 48;
  private static final int BLOCK = 500; // PUBLISH packets per write
  private static final int BLOCKS = 20; // per device: 10,000 events, ~2.2 MB
  @TempDir Path dir;

  @Test
  void aFloodThatOutrunsTheJournalKeepsEveryConnectionAndEveryEvent() throws Exception {
    int mqttPort = FreePorts.one();
    int adminPort = FreePorts.one();
    // Nobody listens on the Kafka address: the journal keeps everything, and a small pending
    // bound makes the gateway pause the devices whenever the writer is behind.
    Path config =
        Files.writeString(
            dir.resolve("flood.yaml"),
            """
            gateway: {id: flood, dataDir: '%s'}
            mqtt: {host: 127.0.0.1, port: %d, auth: {anonymous: true}}
            kafka: {bootstrapServers: '127.0.0.1:%d', topic: %s}
            journal: {maxPendingBytes: 64KiB, sync: always}
            admin: {host: 127.0.0.1, port: %d}
            """
                .formatted(
                    dir.resolve("data"), mqttPort, FreePorts.one(), TestGateway.TOPIC, adminPort));
    try (GatewayProcess gw =
        GatewayProcess.startWithLauncher(
            config,
            dir.resolve("logs"),
            "flood",
            Map.of("JAVA_OPTS", "-XX:MaxDirectMemorySize=16m", "EDGEGATE_CDS", "off"))) {
      ExecutorService pool = Executors.newFixedThreadPool(DEVICES);
      try {
        List<Future<byte[]>> devices = new ArrayList<>();
        for (int d = 0; d < DEVICES; d++) {
          String id = "flood-" + d;
          devices.add(pool.submit(() -> flood(mqttPort, id)));
        }
        int lost = 0;
        for (Future<byte[]> device : devices) {
          if (device.get(240, TimeUnit.SECONDS) == null) {
            lost++;
          }
        }
        assertThat(lost)
            .as(
                "devices without a PINGRESP after their flood (a connection that did not stay up);"
                    + " the gateway said: %s",
                problems(gw))
            .isZero();
      } finally {
        pool.shutdownNow();
      }
      long sent = (long) DEVICES * BLOCK * BLOCKS;
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> counter(adminPort, "edgegate_events_journaled_total"), n -> n >= sent);
      assertThat(counter(adminPort, "edgegate_events_journaled_total")).isEqualTo(sent);
      assertThat(counter(adminPort, "edgegate_events_dropped_total")).isZero();
      assertThat(problems(gw)).isEmpty();
    }
  }

  /** The first OutOfMemoryError in the gateway's log, with its stack, or nothing. */
  private List<String> problems(GatewayProcess gw) throws java.io.IOException {
    List<String> lines =
        (gw.stderr() + Files.readString(dir.resolve("logs/flood.out"))).lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("OutOfMemoryError")) {
        return lines.subList(Math.max(0, i - 1), Math.min(lines.size(), i + 24));
      }
    }
    return List.of();
  }

  /** One device: CONNECT, the flood in blocks, then PINGREQ; returns the PINGRESP or null. */
  private static byte[] flood(int port, String clientId) throws Exception {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    String payload = "{\"v\":1,\"pad\":\"" + "x".repeat(180) + "\"}";
    for (int i = 0; i < BLOCK; i++) {
      block.write(RawMqtt.publish(4, "devices/" + clientId + "/telemetry", 0, 0, payload));
    }
    byte[] packets = block.toByteArray();
    try (RawMqtt m = RawMqtt.open(port)) {
      m.send(RawMqtt.connect(4, clientId, 60));
      assertThat(RawMqtt.reasonCode(m.readUntil(0x20, 10_000))).isZero();
      for (int b = 0; b < BLOCKS; b++) {
        m.send(packets);
      }
      m.send(RawMqtt.pingreq());
      return m.readUntil(0xd0, 120_000);
    }
  }

  private static long counter(int adminPort, String name) {
    return (long) new AdminClient(adminPort).scrape().sum(name);
  }
}
