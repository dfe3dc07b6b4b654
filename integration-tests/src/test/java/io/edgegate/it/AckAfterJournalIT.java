package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.gateway.observe.GatewayMetrics;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The acknowledgement waits for the journal: when the journal cannot append, no device gets a
 * successful PUBACK, nothing of it reaches Kafka, and the gateway keeps running.
 *
 * <p>The journal is made unable to append by replacing its directory with a plain file and moving
 * the clock past the journal's file period, so the next append must create a new file and cannot
 * (root ignores directory permissions, so an unwritable directory would prove nothing here).
 */
@ExtendWith(GatewayHygiene.class)
class AckAfterJournalIT {
  @TempDir Path dir;

  // The test takes the journal's files away (the reader sees them go and come back).
  @ExpectedLogs({ExpectedLogs.JOURNAL_APPEND_FAILED, ExpectedLogs.JOURNAL_READER_REPOSITIONS})
  @Test
  void noSuccessfulPubackWhileTheJournalCannotAppendAndTheGatewaySurvives() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      MovableClock clock = new MovableClock();
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      config.journal.roll = JournalConfig.Roll.FIVE_MINUTELY;
      Path journalDir = config.journal.dir(config.gateway.dataDir);
      try (TestGateway gw = TestGateway.start(config, clock);
          Device mqtt5 = Device.connect("dev-5", gw.mqttPort())) {
        mqtt5.publish(0, 10, MqttQos.AT_LEAST_ONCE, 0).get(30, TimeUnit.SECONDS);
        assertThat(mqtt5.acked).hasSize(10);
        // Let the reader pass them first: this test is about acknowledgements. A directory that
        // goes and comes back while unread is JournalReaderContiguityTest's (no loss there, but a
        // file the tailer cannot find again is salvaged at the journal's end, out of order).
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> gw.counter(GatewayMetrics.FORWARDED) >= 10);

        Path aside = dir.resolve("journal-aside");
        Files.move(journalDir, aside);
        Files.writeString(journalDir, "in the way");
        clock.advance(Duration.ofMinutes(10));

        // MQTT 5: a negative PUBACK that says why.
        Throwable refused =
            mqtt5
                .client
                .publishWith()
                .topic(Device.topic("dev-5"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(Device.payload("dev-5", 10, 0))
                .send()
                .handle((result, error) -> error != null ? error : result.getError().orElse(null))
                .get(30, TimeUnit.SECONDS);
        assertThat(refused).isInstanceOf(Mqtt5PubAckException.class);
        Mqtt5PubAckException nack = (Mqtt5PubAckException) refused;
        assertThat(nack.getMqttMessage().getReasonCode())
            .isEqualTo(Mqtt5PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);

        // MQTT 3.1.1 has no negative PUBACK: the device is disconnected and gets none.
        MqttAsyncClient paho =
            new MqttAsyncClient(
                "tcp://127.0.0.1:" + gw.mqttPort(), "dev-3", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        paho.connect(options).waitForCompletion(10_000);
        MqttMessage message = new MqttMessage(Device.payload("dev-3", 0, 0));
        message.setQos(1);
        IMqttDeliveryToken token = paho.publish(Device.topic("dev-3"), message);
        await().atMost(Duration.ofSeconds(30)).until(() -> !paho.isConnected());
        assertThat(token.isComplete() && token.getException() == null)
            .as("a successful PUBACK for an event the journal did not take")
            .isFalse();
        paho.close(true);

        assertThat(gw.counter(GatewayMetrics.JOURNAL_FAILURES)).isPositive();
        assertThat(gw.counter(GatewayMetrics.REFUSED)).isEqualTo(2);

        // The journal comes back: the same gateway acknowledges again.
        Files.delete(journalDir);
        Files.move(aside, journalDir);
        mqtt5.publish(11, 5, MqttQos.AT_LEAST_ONCE, 0).get(30, TimeUnit.SECONDS);
        assertThat(mqtt5.acked).hasSize(15);

        List<ConsumerRecord<String, byte[]>> records =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, 15, Duration.ofSeconds(60));
        assertThat(records)
            .extracting(Events::seq)
            .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15);
      }
    }
  }
}
