package io.edgegate.sim.it;

import io.edgegate.gateway.forward.EmbeddedKafka;
import io.edgegate.kafka.embedded.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real single-node KRaft broker for all integration tests of the run (a start costs seconds on
 * a 2-core machine). Tests keep apart by topic and run id. Injected as a {@link Broker} parameter;
 * stopped when the test plan ends.
 */
final class SharedKafka implements ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(SharedKafka.class);

  record Broker(String bootstrapServers) {}

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == Broker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    Running running =
        c.getRoot().getStore(NS).getOrComputeIfAbsent("broker", k -> start(), Running.class);
    return new Broker(running.bootstrapServers);
  }

  private static Running start() {
    try {
      Path dir = Files.createTempDirectory("edgegate-sim-kafka");
      int port = FreePorts.one();
      EmbeddedKafka broker =
          ServiceLoader.load(EmbeddedKafka.Provider.class)
              .findFirst()
              .orElseThrow()
              .start(dir, "127.0.0.1", port, 3);
      return new Running(broker, "127.0.0.1:" + port);
    } catch (Exception e) {
      throw new IllegalStateException("the test Kafka broker did not start", e);
    }
  }

  /** Closed by JUnit with the root store, at the end of the test plan. */
  private record Running(EmbeddedKafka broker, String bootstrapServers) implements AutoCloseable {
    @Override
    public void close() {
      broker.close();
    }
  }
}
