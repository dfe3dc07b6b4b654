package io.edgegate.gateway.command;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.forward.ProducerSettings;
import io.edgegate.gateway.session.Sessions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Commands to devices ({@code commands.*}): the consumer of the commands topic and the publisher of
 * outcomes, wired to the sessions. Started after the MQTT listeners, stopped before them (see
 * {@link #stopDispatching}).
 */
public final class CommandService implements AutoCloseable {
  public static final String LAG = "edgegate.commands.consumer.lag";

  private final CommandConsumer consumer;
  private final OutcomePublisher outcomes;

  private CommandService(CommandConsumer consumer, OutcomePublisher outcomes) {
    this.consumer = consumer;
    this.outcomes = outcomes;
  }

  /** Creates the Kafka clients and starts consuming. Blocking: call off the event loop. */
  public static CommandService start(
      GatewayConfig config,
      String bootstrapServers,
      Sessions sessions,
      MeterRegistry registry,
      Clock clock) {
    Map<String, Object> producerProps = ProducerSettings.of(config, bootstrapServers);
    producerProps.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG); // outcomes are not transactional
    producerProps.put(
        ProducerConfig.CLIENT_ID_CONFIG, "edgegate-" + config.gateway.id + "-outcomes");
    OutcomePublisher outcomes =
        new OutcomePublisher(
            new KafkaProducer<>(producerProps),
            config.commands.outcomesTopic,
            Math.max(1000, config.commands.maxInFlight * 2),
            clock,
            registry);
    CommandConsumer consumer;
    try {
      consumer =
          new CommandConsumer(
              new KafkaConsumer<>(consumerSettings(config, bootstrapServers)),
              config.commands,
              new CommandTopics(config.commands),
              sessions,
              outcomes);
    } catch (RuntimeException e) {
      outcomes.close();
      throw e;
    }
    sessions.outcomes(outcomes);
    Gauge.builder(LAG, consumer, CommandConsumer::lag)
        .description("Command records not yet read by the gateway")
        .register(registry);
    consumer.start();
    return new CommandService(consumer, outcomes);
  }

  /**
   * The consumer settings: the security settings of {@code kafka.producer} (so one set of keys
   * reaches the cluster), the user's {@code commands.consumer}, then what settlement rests on.
   */
  static Map<String, Object> consumerSettings(GatewayConfig config, String bootstrapServers) {
    Map<String, Object> c = new HashMap<>();
    config.kafka.producer.forEach(
        (k, v) -> {
          if (k.startsWith("security.") || k.startsWith("ssl.") || k.startsWith("sasl.")) {
            c.put(k, v);
          }
        });
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "edgegate-" + config.gateway.id + "-commands");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, config.commands.maxInFlight));
    // Static membership: a gateway restarted after a crash takes its partitions back at once
    // instead of waiting for the dead member's session timeout (45 s); a second gateway with the
    // same id is fenced, as its transactional producer would be.
    c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "edgegate-" + config.gateway.id);
    c.putAll(config.commands.consumer);
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, config.commands.effectiveGroupId(config.gateway.id));
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return c;
  }

  /** Stops offering commands; the sessions keep what they hold. Any thread. */
  public void stopDispatching() {
    consumer.stopDispatching();
  }

  /** Commits what is settled and closes the clients. Blocking. */
  @Override
  public void close() {
    consumer.close();
    outcomes.close();
  }
}
