package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.edgegate.gateway.config.JournalConfig;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health as an orchestrator sees it: Kafka away degrades the gateway but keeps it ready (the
 * journal buffers, and the backlog shows how much); a journal that cannot append makes it unready;
 * both recover without a restart.
 */
@ExtendWith(GatewayHygiene.class)
class HealthIT {
  @TempDir Path dir;

  // Kafka is not started yet.
  @ExpectedLogs(ExpectedLogs.KAFKA_SEND_FAILED)
  @Test
  void kafkaDownIsDegradedButReadyWithTheBacklogShownThenUpAgain() throws Exception {
    KafkaBroker kafka = KafkaBroker.notStarted(dir.resolve("kafka"));
    MovableClock clock = new MovableClock();
    var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
    try (kafka;
        TestGateway gw = TestGateway.start(config, clock);
        Device device = Device.connect("dev-1", gw.mqttPort())) {
      AdminClient admin = new AdminClient(gw.gateway.adminPort());
      assertThat(admin.get("/health/ready").status()).isEqualTo(200);
      assertThat(admin.get("/health/live").status()).isEqualTo(200);
      // Nothing sent yet and no broker reached: not "up" by default.
      JsonObject atStart = component(admin, "kafka");
      assertThat(atStart.getString("status")).isEqualTo("degraded");
      assertThat(atStart.getString("reason")).isEqualTo("no Kafka broker reached since the start");

      device.publish(0, 20, MqttQos.AT_LEAST_ONCE, 100).get(30, TimeUnit.SECONDS);
      assertThat(device.acked).as("acknowledged while Kafka is down").hasSize(20);
      clock.advance(Duration.ofSeconds(90));

      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  "sends to Kafka fail; the journal holds the backlog"
                      .equals(component(admin, "kafka").getString("reason")));
      AdminClient.Response ready = admin.get("/health/ready");
      assertThat(ready.status()).as("ready while Kafka is down").isEqualTo(200);
      assertThat(ready.json().getString("status")).isEqualTo("degraded");
      assertThat(ready.json().getBoolean("ready")).isTrue();
      assertThat(component(admin, "journal").getString("status")).isEqualTo("up");
      assertThat(component(admin, "mqtt").getInteger("connections")).isEqualTo(1);

      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> admin.scrape().sum("edgegate_backlog_events") == 20);
      AdminClient.Scrape s = admin.scrape();
      assertThat(s.sum("edgegate_kafka_available")).isZero();
      assertThat(s.sum("edgegate_backlog_bytes")).isGreaterThan(20 * 100);
      assertThat(s.sum("edgegate_backlog_oldest_age_seconds")).isGreaterThanOrEqualTo(90);
      JsonObject kafkaHealth = component(admin, "kafka");
      assertThat(kafkaHealth.getLong("backlogEvents")).isEqualTo(20);
      assertThat(kafkaHealth.getString("reason")).contains("journal holds the backlog");

      kafka.startAgain();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  admin.get("/health/ready").json().getString("status").equals("up")
                      && admin.scrape().sum("edgegate_backlog_events") == 0);
      assertThat(admin.scrape().sum("edgegate_events_forwarded_total")).isEqualTo(20);
    }
  }

  // The journal's files are taken away (the reader sees them go and come back), and no Kafka runs.
  @ExpectedLogs({
    ExpectedLogs.JOURNAL_APPEND_FAILED,
    ExpectedLogs.JOURNAL_READER_REPOSITIONS,
    ExpectedLogs.KAFKA_SEND_FAILED
  })
  @Test
  void aJournalThatCannotAppendMakesTheGatewayUnreadyUntilItCanAgain() throws Exception {
    KafkaBroker kafka = KafkaBroker.notStarted(dir.resolve("kafka"));
    MovableClock clock = new MovableClock();
    var config = TestGateway.config(dir.resolve("gw"), kafka.bootstrapServers());
    config.journal.roll = JournalConfig.Roll.FIVE_MINUTELY;
    Path journalDir = config.journal.dir(config.gateway.dataDir);
    try (kafka;
        TestGateway gw = TestGateway.start(config, clock);
        Device device = Device.connect("dev-1", gw.mqttPort())) {
      AdminClient admin = new AdminClient(gw.gateway.adminPort());
      device.publish(0, 1, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
      assertThat(device.acked).hasSize(1);

      // As in AckAfterJournalIT: the next append needs a new file where a plain file is in the way.
      Path aside = dir.resolve("journal-aside");
      Files.move(journalDir, aside);
      Files.writeString(journalDir, "in the way");
      clock.advance(Duration.ofMinutes(10));
      device.publish(1, 1, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
      assertThat(device.acked).as("not acknowledged").hasSize(1);

      AdminClient.Response unready = admin.get("/health/ready");
      assertThat(unready.status()).isEqualTo(503);
      assertThat(unready.json().getBoolean("ready")).isFalse();
      JsonObject journal = unready.json().getJsonObject("components").getJsonObject("journal");
      assertThat(journal.getString("status")).isEqualTo("down");
      assertThat(journal.getString("reason")).contains("appends fail");
      assertThat(admin.get("/health/live").status()).as("alive all the same").isEqualTo(200);

      Files.delete(journalDir);
      Files.move(aside, journalDir);
      device.publish(2, 1, MqttQos.AT_LEAST_ONCE, 10).get(30, TimeUnit.SECONDS);
      assertThat(device.acked).containsExactly(0, 2);
      assertThat(admin.get("/health/ready").status()).isEqualTo(200);
    }
  }

  private static JsonObject component(AdminClient admin, String name) {
    return admin.get("/health/ready").json().getJsonObject("components").getJsonObject(name);
  }
}
