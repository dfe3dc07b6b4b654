package io.edgegate.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgegate.gateway.forward.EmbeddedKafka;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class KafkaRaftBrokerTest {

  private static final String TOPIC = "telemetry";
  private static final int RECORDS = 100;

  @TempDir Path logDir;

  @Test
  void serviceLoaderFindsTheProvider() {
    List<EmbeddedKafka.Provider> providers = new ArrayList<>();
    ServiceLoader.load(EmbeddedKafka.Provider.class).forEach(providers::add);

    assertEquals(1, providers.size());
    assertTrue(providers.get(0) instanceof KafkaRaftBrokerProvider);
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void keepsRecordsAcrossARestartOnTheSamePort() throws Exception {
    long startNanos = System.nanoTime();
    int port;
    try (EmbeddedKafka broker = new KafkaRaftBrokerProvider().start(logDir, "127.0.0.1", 0, 1)) {
      report("format + start", startNanos);
      port = Integer.parseInt(broker.bootstrapServers().substring("127.0.0.1:".length()));
      assertTrue(port > 0, broker.bootstrapServers());

      produce(broker.bootstrapServers());
      assertEquals(expectedValues(), consume(broker.bootstrapServers()));

      long closeNanos = System.nanoTime();
      broker.close();
      report("close", closeNanos);
      broker.close(); // idempotent
    }

    long restartNanos = System.nanoTime();
    try (EmbeddedKafka broker = new KafkaRaftBrokerProvider().start(logDir, "127.0.0.1", port, 1)) {
      report("restart", restartNanos);
      assertEquals("127.0.0.1:" + port, broker.bootstrapServers());
      assertEquals(expectedValues(), consume(broker.bootstrapServers()));
    }
  }

  /** What the gateway's integration tests rely on: an outage with a client that stays open. */
  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aProducerKeptOpenAcrossARestartDeliversAgain() throws Exception {
    EmbeddedKafka broker = KafkaRaftBroker.start(logDir, "127.0.0.1", 0, 1);
    String bootstrapServers = broker.bootstrapServers();
    int port = Integer.parseInt(bootstrapServers.substring("127.0.0.1:".length()));
    try (KafkaProducer<String, String> producer = producer(bootstrapServers)) {
      producer.send(new ProducerRecord<>(TOPIC, "before")).get(30, TimeUnit.SECONDS);
      broker.close();
      broker = KafkaRaftBroker.start(logDir, "127.0.0.1", port, 1);
      producer.send(new ProducerRecord<>(TOPIC, "after")).get(60, TimeUnit.SECONDS);
    } finally {
      broker.close();
    }
  }

  @Test
  void reportsAPortInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> KafkaRaftBroker.start(logDir, "127.0.0.1", taken.getLocalPort(), 1));
      assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
      assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
    }
  }

  @Test
  void refusesAWildcardHost() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new KafkaRaftBrokerProvider().start(logDir, "0.0.0.0", 0, 1));
  }

  private static KafkaProducer<String, String> producer(String bootstrapServers) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private static void produce(String bootstrapServers) throws Exception {
    try (KafkaProducer<String, String> producer = producer(bootstrapServers)) {
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (String value : expectedValues()) {
        sends.add(producer.send(new ProducerRecord<>(TOPIC, "device-1", value)));
      }
      for (Future<RecordMetadata> send : sends) {
        send.get(30, TimeUnit.SECONDS); // surfaces a failed send, which flush() would not
      }
    }
  }

  /** Reads the whole of the topic's only partition, in order. */
  private static List<String> consume(String bootstrapServers) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    List<String> values = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(TOPIC, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }

  private static List<String> expectedValues() {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      values.add("reading-" + i);
    }
    return values;
  }

  private static void report(String what, long sinceNanos) {
    System.out.printf(
        "%s took %d ms%n", what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos));
  }
}
