package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.kafka.embedded.FreePorts;
import io.edgegate.kafka.embedded.KafkaRaftBroker;
import io.edgegate.kafka.embedded.SaslSslListener;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The documented production path to Kafka, against a broker that speaks it: SASL_SSL with
 * SCRAM-SHA-512, the broker's CA as a PEM file, the JAAS line read from a file ({@code ${file:…}}).
 * Events and commands go over it; a wrong password and an untrusted broker certificate each give
 * one clear line, a degraded health and no loss.
 */
@ExtendWith(GatewayHygiene.class)
class SaslSslKafkaIT {
  private static final String USER = "edgegate";
  private static final String PASSWORD = "s3cret-for-edgegate";
  private static final String COMMANDS = "edgegate.commands";

  @TempDir static Path dir;
  static KafkaRaftBroker kafka;
  static Path caFile;
  static Path otherCaFile;

  @BeforeAll
  static void startKafka() throws Exception {
    Certs.Issued ca = Certs.ca("Kafka CA");
    Certs.Issued broker = Certs.server(ca);
    kafka =
        KafkaRaftBroker.start(
            dir.resolve("kafka"),
            "127.0.0.1",
            FreePorts.one(),
            3,
            new SaslSslListener(
                Certs.pem(broker.cert()),
                Certs.pem(broker.keys().getPrivate()),
                Map.of(USER, PASSWORD)));
    caFile = ca.writeCert(dir.resolve("kafka-ca.pem"));
    otherCaFile = Certs.ca("Some other CA").writeCert(dir.resolve("other-ca.pem"));
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  /** The client settings of a production config, read as the gateway reads its file. */
  private static Map<String, String> clientSettings(String password, Path ca) throws Exception {
    Path jaas = Files.createTempFile(dir, "kafka-jaas", "");
    Files.writeString(
        jaas,
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + USER
            + "\" password=\""
            + password
            + "\";\n");
    String yaml =
        "kafka:\n"
            + "  bootstrapServers: "
            + kafka.bootstrapServers()
            + "\n"
            + "  producer:\n"
            + "    security.protocol: SASL_SSL\n"
            + "    sasl.mechanism: SCRAM-SHA-512\n"
            + "    sasl.jaas.config: ${file:"
            + jaas
            + "}\n"
            + "    ssl.truststore.type: PEM\n"
            + "    ssl.truststore.location: "
            + ca
            + "\n";
    GatewayConfig parsed = ConfigLoader.parse("test", yaml, Map.of());
    assertThat(parsed.kafka.producer.get("sasl.jaas.config")).startsWith("org.apache.kafka");
    return parsed.kafka.producer;
  }

  private static GatewayConfig config(String name, String password, Path ca) throws Exception {
    GatewayConfig c = TestGateway.config(dir.resolve(name), kafka.bootstrapServers());
    c.kafka.topic = name;
    c.kafka.producer.putAll(clientSettings(password, ca));
    return c;
  }

  private static Map<String, Object> client() throws Exception {
    Map<String, Object> p = new HashMap<>(clientSettings(PASSWORD, caFile));
    p.put("bootstrap.servers", kafka.bootstrapServers());
    return p;
  }

  private static Set<String> keysAndSeqs(String topic, int expected) throws Exception {
    Map<String, Object> p = client();
    p.put("group.id", "check-" + topic + "-" + System.nanoTime());
    p.put("auto.offset.reset", "earliest");
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (seen.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          seen.add(r.key() + ":" + new String(r.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return seen;
  }

  @Test
  void eventsAndCommandsGoOverSaslSsl() throws Exception {
    GatewayConfig c = config("sasl-ok", PASSWORD, caFile);
    c.commands.enabled = true;
    try (KafkaProducer<String, byte[]> commands =
            new KafkaProducer<>(client(), new StringSerializer(), new ByteArraySerializer());
        TestGateway gw = TestGateway.start(c);
        Device device = Device.connect("dev-1", gw.mqttPort())) {
      device.publish(0, 10, MqttQos.AT_LEAST_ONCE, 0).get(30, TimeUnit.SECONDS);
      assertThat(device.acked).hasSize(10);
      assertThat(keysAndSeqs("sasl-ok", 10)).hasSize(10);

      ConcurrentLinkedQueue<Mqtt5Publish> received = new ConcurrentLinkedQueue<>();
      Mqtt5AsyncClient r =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier("pump-1")
              .serverHost("127.0.0.1")
              .serverPort(gw.mqttPort())
              .buildAsync();
      r.publishes(MqttGlobalPublishFilter.ALL, received::add);
      r.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
      r.subscribeWith()
          .topicFilter("devices/pump-1/commands/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .send()
          .get(10, TimeUnit.SECONDS);
      // The consumer's group assignment takes a moment: send until one arrives.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                commands
                    .send(
                        new ProducerRecord<>(
                            COMMANDS,
                            "pump-1",
                            "{\"valve\":\"open\"}".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
                return !received.isEmpty();
              });
      assertThat(received.peek().getTopic().toString()).startsWith("devices/pump-1/commands");
      r.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  // The one clear line per client this test is about.
  @ExpectedLogs({
    "^Sending to Kafka failed \\(org\\.apache\\.kafka\\.common\\.errors\\.SaslAuthenticationException",
    "^Command consumer: org\\.apache\\.kafka\\.common\\.errors\\.SaslAuthenticationException"
  })
  @Test
  void aWrongPasswordIsOneClearLineDegradedAndLosesNothing() throws Exception {
    refusedThenRepaired(
        "sasl-wrong-password",
        config("sasl-wrong-password", "not-the-password", caFile),
        "SaslAuthenticationException");
  }

  // The one clear line per client this test is about.
  @ExpectedLogs({
    "^Sending to Kafka failed \\(org\\.apache\\.kafka\\.common\\.errors\\.SslAuthenticationException",
    "^Command consumer: org\\.apache\\.kafka\\.common\\.errors\\.SslAuthenticationException"
  })
  @Test
  void anUntrustedBrokerCertificateIsOneClearLineDegradedAndLosesNothing() throws Exception {
    refusedThenRepaired(
        "sasl-untrusted",
        config("sasl-untrusted", PASSWORD, otherCaFile),
        "SslAuthenticationException");
  }

  private void refusedThenRepaired(String name, GatewayConfig bad, String cause) throws Exception {
    bad.commands.enabled = true; // the consumer meets the same refusal
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger gatewayLog = (Logger) LoggerFactory.getLogger("io.edgegate");
    gatewayLog.addAppender(logs);
    try {
      try (TestGateway gw = TestGateway.start(bad);
          Device device = Device.connect("dev-1", gw.mqttPort())) {
        device.publish(0, 20, MqttQos.AT_LEAST_ONCE, 0).get(30, TimeUnit.SECONDS);
        assertThat(device.acked).as("journaled and acknowledged all the same").hasSize(20);
        AdminClient admin = new AdminClient(gw.gateway.adminPort());
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    admin
                        .get("/health/ready")
                        .json()
                        .getJsonObject("components")
                        .getJsonObject("kafka")
                        .getString("status")
                        .equals("degraded"));
        // Several retry rounds later, still one line that names the cause.
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - start > 5e9);
        List<String> lines = new ArrayList<>();
        synchronized (logs) {
          for (ILoggingEvent e : logs.list) {
            if (e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)) {
              lines.add(e.getLoggerName() + ": " + e.getFormattedMessage());
            }
          }
        }
        // One from the forwarder, one from the commands consumer: each says it once.
        assertThat(lines.stream().filter(l -> l.contains("Sending to Kafka failed")))
            .as("forwarder lines in %s", lines)
            .singleElement()
            .satisfies(l -> assertThat(l).contains(cause));
        assertThat(lines.stream().filter(l -> l.contains("Command consumer")))
            .as("commands consumer lines in %s", lines)
            .singleElement()
            .satisfies(l -> assertThat(l).contains(cause));
        assertThat(lines.stream().filter(l -> !l.contains("mqtt.auth.anonymous")))
            .as("nothing else: %s", lines)
            .hasSize(2);
      }
      // Repaired (the right password / CA), same journal: every acknowledged event arrives.
      GatewayConfig good = config(name, PASSWORD, caFile);
      good.gateway.dataDir = bad.gateway.dataDir;
      good.kafka.topic = bad.kafka.topic;
      try (TestGateway gw = TestGateway.start(good)) {
        assertThat(keysAndSeqs(name, 20)).hasSize(20);
      }
    } finally {
      gatewayLog.detachAppender(logs);
    }
  }
}
