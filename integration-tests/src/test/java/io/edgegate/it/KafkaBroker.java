package io.edgegate.it;

import io.edgegate.gateway.forward.EmbeddedKafka;
import io.edgegate.kafka.embedded.FreePorts;
import java.nio.file.Path;
import java.util.ServiceLoader;

/** A real single-node KRaft broker in the test JVM that can be stopped and started again. */
final class KafkaBroker implements AutoCloseable {
  private static final EmbeddedKafka.Provider PROVIDER =
      ServiceLoader.load(EmbeddedKafka.Provider.class).findFirst().orElseThrow();

  private final Path dir;
  private final int port;
  private EmbeddedKafka broker;

  private KafkaBroker(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  static KafkaBroker start(Path dir) throws Exception {
    return start(dir, FreePorts.one());
  }

  static KafkaBroker start(Path dir, int port) throws Exception {
    KafkaBroker b = new KafkaBroker(dir, port);
    b.startAgain();
    return b;
  }

  /** A broker address whose broker is not running yet (start it with {@link #startAgain}). */
  static KafkaBroker notStarted(Path dir) {
    return new KafkaBroker(dir, FreePorts.one());
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Stops the broker; its data and port are kept for {@link #startAgain}. */
  void stop() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  void startAgain() throws Exception {
    broker = PROVIDER.start(dir, "127.0.0.1", port, 3);
  }

  @Override
  public void close() {
    stop();
  }
}
