package io.edgegate.gateway.forward;

import io.edgegate.gateway.config.ForwardConfig;
import io.edgegate.gateway.config.GatewayConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka producer configuration: the user's {@code kafka.producer} plus what delivery needs. */
public final class ProducerSettings {
  private ProducerSettings() {}

  /** The transactional id of a gateway in exactly-once mode. */
  public static String transactionalId(GatewayConfig config) {
    return "edgegate-" + config.gateway.id;
  }

  public static Map<String, Object> of(GatewayConfig config, String bootstrapServers) {
    Map<String, Object> p = new HashMap<>();
    // Defaults the user may change.
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "edgegate-" + config.gateway.id);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // Keep topic metadata a day: a send to a known topic then never waits for metadata (see
    // Forwarder on why that wait is the one failure that could reorder events).
    p.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, 24 * 60 * 60 * 1000);
    p.putAll(config.kafka.producer);
    // What the delivery promise rests on; the config refuses overrides of these keys.
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    // Never expire a buffered record: the producer retries it until Kafka takes it, in order.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.forward.metadataTimeout.toMillis());
    if (config.forward.delivery == ForwardConfig.Delivery.EXACTLY_ONCE) {
      // One transactional id per gateway: a restarted gateway fences its former self and
      // completes or aborts the transaction it left open.
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(config));
      // A transaction whose records cannot be delivered must fail (and be retried whole) rather
      // than hold the commit for ever.
      p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    }
    return p;
  }
}
