package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * At its disk limit the gateway stops taking events instead of dropping old ones: MQTT 5 devices
 * get 0x97 (quota exceeded), MQTT 3.1.1 devices are held (no acknowledgement, no disconnect). When
 * Kafka drains the backlog, forwarded files are deleted and everyone resumes, without a restart and
 * without losing an acknowledged event.
 */
@ExtendWith(GatewayHygiene.class)
class DiskLimitIT {
  @TempDir Path dir;

  // Kafka is down while the journal fills up to its limit.
  @ExpectedLogs({
    "^Journal refuses new events: the journal uses \\d+ bytes, journal\\.maxBytes is",
    ExpectedLogs.KAFKA_SEND_FAILED
  })
  @Test
  void atTheLimitDevicesAreRefusedOrHeldThenResumeWithoutLossWhenKafkaDrains() throws Exception {
    MovableClock clock = new MovableClock();
    KafkaBroker kafka = KafkaBroker.notStarted(dir.resolve("kafka"));
    var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
    config.journal.roll = JournalConfig.Roll.FIVE_MINUTELY;
    config.journal.maxBytes = 2L << 20;
    config.journal.retention = Duration.ZERO;
    config.journal.housekeepingInterval = Duration.ofMillis(200);
    try (kafka;
        TestGateway gw = TestGateway.start(config, clock);
        Device mqtt5 = Device.connect("dev-5", gw.mqttPort())) {
      // Kafka is down: fill the journal until the gateway says "quota exceeded". Then the device's
      // socket is paused: its later publishes wait, unread, until the journal has room.
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Integer> stream = mqtt5.stream(0, 50, 1024, stop);
      await().atMost(Duration.ofSeconds(120)).until(() -> !mqtt5.refusals.isEmpty());
      Throwable refusal = mqtt5.refusals.peek();
      Throwable cause = refusal instanceof CompletionException ? refusal.getCause() : refusal;
      assertThat(cause).isInstanceOf(Mqtt5PubAckException.class);
      assertThat(((Mqtt5PubAckException) cause).getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
      assertThat(gw.gateway.journal().writer().refusing()).contains("journal.maxBytes");
      int ackedWhileFilling = mqtt5.acked.size();

      // An MQTT 3.1.1 device now: it has no negative PUBACK, so it is held, not refused.
      MqttAsyncClient paho =
          new MqttAsyncClient("tcp://127.0.0.1:" + gw.mqttPort(), "dev-3", new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      options.setMaxInflight(20);
      options.setKeepAliveInterval(0);
      paho.connect(options).waitForCompletion(10_000);
      List<IMqttDeliveryToken> tokens = new ArrayList<>();
      for (int seq = 0; seq < 20; seq++) {
        MqttMessage m = new MqttMessage(Device.payload("dev-3", seq, 10));
        m.setQos(1);
        tokens.add(paho.publish(Device.topic("dev-3"), m));
      }
      assertThat(tokens).noneMatch(IMqttDeliveryToken::isComplete);
      assertThat(paho.isConnected()).isTrue();

      // The journal's file period passes and Kafka comes back: the backlog drains, the forwarded
      // file is deleted, and the journal takes events again — no restart.
      clock.advance(Duration.ofMinutes(10));
      kafka.startAgain();
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> gw.gateway.journal().writer().refusing() == null);
      for (IMqttDeliveryToken t : tokens) {
        t.waitForCompletion(60_000);
        assertThat(t.getException()).isNull();
      }
      stop.set(true);
      int next =
          stream.get(60, TimeUnit.SECONDS); // the paused publishes were read and acknowledged
      int ackedBefore = mqtt5.acked.size();
      mqtt5.publish(next, 100, MqttQos.AT_LEAST_ONCE, 1024).get(60, TimeUnit.SECONDS);
      assertThat(mqtt5.acked).hasSize(ackedBefore + 100);

      int total = mqtt5.acked.size() + 20;
      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(
              kafka.bootstrapServers(), TestGateway.TOPIC, total, Duration.ofSeconds(120));
      Map<String, List<Integer>> byDevice = Events.byDevice(records);
      assertThat(new HashSet<>(byDevice.get("dev-5"))).containsAll(mqtt5.acked);
      assertThat(byDevice.get("dev-3")).containsExactlyElementsOf(seqs(20));
      Events.assertFirstAppearancesInOrder(byDevice);
      System.out.printf(
          "[measure] disk limit 2 MiB: %d events acknowledged before 0x97, %d refused, 20 MQTT 3.1.1"
              + " events held then acknowledged, all %d acknowledged events in Kafka%n",
          ackedWhileFilling, mqtt5.refusals.size(), total);
      paho.disconnect().waitForCompletion(5_000);
      paho.close();
    }
  }

  private static List<Integer> seqs(int n) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(i);
    }
    return l;
  }
}
