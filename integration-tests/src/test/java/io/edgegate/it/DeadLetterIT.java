package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.gateway.observe.GatewayMetrics;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record Kafka refuses for good goes to the dead-letter topic with the reason; the rest flows.
 */
@ExtendWith(GatewayHygiene.class)
class DeadLetterIT {
  @TempDir Path dir;

  // The test sends an event larger than Kafka takes.
  @ExpectedLogs(
      "^Kafka refused event \\p{XDigit}+ for good \\(org\\.apache\\.kafka\\.common\\.errors\\.RecordTooLargeException")
  @Test
  void aRecordTooLargeForKafkaIsDeadLetteredWithItsReasonAndLaterEventsFlow() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"))) {
      var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
      config.mqtt.maxMessageSize = 64 * 1024; // MQTT takes it ...
      config.kafka.producer.put("max.request.size", "4000"); // ... Kafka (this producer) will not
      try (TestGateway gw = TestGateway.start(config);
          Device device = Device.connect("dev-1", gw.mqttPort())) {
        device.publish(0, 1, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
        device.publish(1, 1, MqttQos.AT_LEAST_ONCE, 20_000).get(30, TimeUnit.SECONDS); // poison
        device.publish(2, 50, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
        assertThat(device.acked).hasSize(52);

        List<ConsumerRecord<String, byte[]>> events =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.TOPIC, 51, Duration.ofSeconds(60));
        assertThat(events).extracting(Events::seq).doesNotContain(1).hasSize(51).isSorted();

        List<ConsumerRecord<String, byte[]>> dead =
            KafkaTopic.readAll(
                kafka.bootstrapServers(), TestGateway.DEAD_LETTERS, 1, Duration.ofSeconds(60));
        assertThat(dead).hasSize(1);
        ConsumerRecord<String, byte[]> r = dead.get(0);
        assertThat(r.key()).isEqualTo("dev-1");
        assertThat(KafkaTopic.header(r, "edgegate_dlq_reason")).isEqualTo("record-too-large");
        assertThat(KafkaTopic.header(r, "edgegate_dlq_error")).contains("RecordTooLargeException");
        assertThat(KafkaTopic.header(r, "edgegate_dlq_original_topic"))
            .isEqualTo(TestGateway.TOPIC);
        assertThat(Integer.parseInt(KafkaTopic.header(r, "edgegate_dlq_payload_bytes")))
            .isGreaterThan(20_000);
        assertThat(KafkaTopic.header(r, "ce_id")).isNotBlank();
        assertThat(r.value()).as("the refused payload stays in the journal").isNull();
        assertThat(gw.counter(GatewayMetrics.DEAD_LETTERED)).isEqualTo(1);
      }
    }
  }
}
