package io.edgegate.gateway.forward;

import java.nio.file.Path;

/**
 * A Kafka broker started inside the gateway's process, for the demo config and tests only.
 *
 * <p>The implementation lives in the {@code edgegate-embedded-kafka} module, found through {@link
 * java.util.ServiceLoader}, so that a production deployment carries no broker jars. Start and stop
 * block for seconds: never call them on an event loop.
 */
public interface EmbeddedKafka extends AutoCloseable {

  /** The {@code host:port} a Kafka client bootstraps from. */
  String bootstrapServers();

  /** Stops the broker and waits for it; the log directory is kept for the next start. */
  @Override
  void close();

  /** Starts brokers; registered in {@code META-INF/services}. */
  interface Provider {
    /**
     * Starts a single-node KRaft broker (combined broker and controller) bound to {@code host}.
     *
     * @param logDir where the broker keeps its data; formatted on first use, reused afterwards
     * @param port the client port, or 0 for a free one
     * @param partitions the number of partitions of automatically created topics
     */
    EmbeddedKafka start(Path logDir, String host, int port, int partitions) throws Exception;
  }
}
