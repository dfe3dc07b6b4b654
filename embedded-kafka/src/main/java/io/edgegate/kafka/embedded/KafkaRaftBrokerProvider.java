package io.edgegate.kafka.embedded;

import io.edgegate.gateway.forward.EmbeddedKafka;
import java.nio.file.Path;

/**
 * Starts {@link KafkaRaftBroker}s; found by the gateway through {@link java.util.ServiceLoader}.
 */
public final class KafkaRaftBrokerProvider implements EmbeddedKafka.Provider {

  @Override
  public EmbeddedKafka start(Path logDir, String host, int port, int partitions) throws Exception {
    return KafkaRaftBroker.start(logDir, host, port, partitions);
  }
}
