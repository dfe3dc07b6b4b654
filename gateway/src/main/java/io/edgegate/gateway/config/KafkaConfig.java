package io.edgegate.gateway.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code kafka.*}: where events go. */
public final class KafkaConfig {
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  /**
   * Producer settings the gateway owns: changing them would break its delivery promise (order, no
   * loss) or its types.
   */
  static final Set<String> OWNED_PRODUCER_KEYS =
      Set.of(
          "bootstrap.servers",
          "key.serializer",
          "value.serializer",
          "enable.idempotence",
          "acks",
          "retries",
          "delivery.timeout.ms",
          "max.in.flight.requests.per.connection",
          "transactional.id",
          "max.block.ms");

  @KeyDoc("The Kafka cluster, `host:port[,host:port…]`; required unless `kafka.embedded.enabled`.")
  public String bootstrapServers;

  @KeyDoc("Topic that receives every event no route sends elsewhere.")
  public String topic = "edgegate.events";

  @KeyDoc(
      "Topic that receives events Kafka refuses for good (too large, invalid topic, not"
          + " authorised) and events the pipeline rejects, with the reason in "
          + "`edgegate_dlq_*` headers; must differ from `kafka.topic`.")
  public String deadLetterTopic = "edgegate.dead-letter";

  @KeyDoc(
      "Exactly-once delivery only: a compacted topic where each transaction records the"
          + " journal position it covers (key = gateway id); the gateway resumes from it.")
  public String offsetsTopic = "edgegate.offsets";

  @KeyDoc(
      "A single-node KRaft broker inside the gateway's process: demo and tests only "
          + "(not in the distribution).")
  public Embedded embedded = new Embedded();

  @KeyDoc(
      "Further Kafka producer settings passed as they are (e.g. `linger.ms`, "
          + "`compression.type`, `security.protocol`, `sasl.*`, `ssl.*`). Keys the delivery "
          + "promise rests on are refused: `bootstrap.servers`, `key.serializer`, "
          + "`value.serializer`, `enable.idempotence`, `acks`, `retries`, "
          + "`delivery.timeout.ms`, `max.in.flight.requests.per.connection`, "
          + "`transactional.id`, `max.block.ms`.")
  public Map<String, String> producer = new LinkedHashMap<>();

  /** {@code kafka.embedded.*}. */
  public static final class Embedded {
    @KeyDoc("Start a single-node KRaft broker in this process (needs the embedded-kafka module).")
    public boolean enabled = false;

    @KeyDoc("Address the broker binds to.")
    public String host = "127.0.0.1";

    @KeyDoc("Broker client port; 0 picks a free one.")
    public int port = 9092;

    @KeyDoc(value = "Partitions of the topics it creates automatically.", unit = "partitions")
    public int partitions = 3;

    @KeyDoc(value = "The broker's data directory.", defaultValue = "`<gateway.dataDir>/kafka`")
    public Path dir;
  }

  void validate(Problems problems) {
    if (!embedded.enabled) {
      problems.require(
          bootstrapServers != null && !bootstrapServers.isBlank(),
          "kafka.bootstrapServers",
          "must be set (host:port[,host:port…]) unless kafka.embedded.enabled is true");
    } else {
      problems.notBlank(embedded.host, "kafka.embedded.host");
      problems.port(embedded.port, "kafka.embedded.port");
      problems.require(
          embedded.partitions >= 1 && embedded.partitions <= 1000,
          "kafka.embedded.partitions",
          "must be from 1 to 1000");
    }
    problems.require(
        topic != null && TOPIC.matcher(topic).matches(),
        "kafka.topic",
        "must be a Kafka topic name: letters, digits, '.', '_', '-' (was '" + topic + "')");
    problems.require(
        deadLetterTopic != null && TOPIC.matcher(deadLetterTopic).matches(),
        "kafka.deadLetterTopic",
        "must be a Kafka topic name: letters, digits, '.', '_', '-' (was '"
            + deadLetterTopic
            + "')");
    problems.require(
        deadLetterTopic == null || !deadLetterTopic.equals(topic),
        "kafka.deadLetterTopic",
        "must differ from kafka.topic");
    problems.require(
        offsetsTopic != null && TOPIC.matcher(offsetsTopic).matches(),
        "kafka.offsetsTopic",
        "must be a Kafka topic name: letters, digits, '.', '_', '-' (was '" + offsetsTopic + "')");
    for (String key : producer.keySet()) {
      problems.require(
          !OWNED_PRODUCER_KEYS.contains(key),
          "kafka.producer." + key,
          "is set by the gateway to keep its delivery promise and cannot be overridden");
    }
  }

  /** The embedded broker's directory, resolved against the gateway's data directory. */
  public Path embeddedDir(Path dataDir) {
    return embedded.dir != null ? embedded.dir : dataDir.resolve("kafka");
  }
}
