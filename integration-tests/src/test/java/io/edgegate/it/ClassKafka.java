package io.edgegate.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real single-node KRaft broker for all tests of a class (a start costs seconds on a 2-core
 * machine); its tests keep apart by topic. Started before the class's {@code @BeforeAll} methods,
 * stopped after its {@code @AfterAll} methods (which stop the gateways using it), with its data. A
 * broker per class, not per run, so that no class reads another's events from a topic both use
 * ({@link TestGateway#TOPIC}). Registered as {@code @RegisterExtension static final ClassKafka
 * kafka = new ClassKafka();}.
 */
final class ClassKafka implements BeforeAllCallback, AfterAllCallback {
  private Path dir;
  private KafkaBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("edgegate-it-kafka");
    broker = KafkaBroker.start(dir);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (broker != null) {
        broker.close();
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }
}
