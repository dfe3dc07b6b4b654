package io.edgegate.benchmarks.runner;

import io.edgegate.kafka.embedded.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The Kafka broker child process; stopped and started again on the same directory and port. */
final class KafkaProcess implements AutoCloseable {
  private final Bench bench;
  private final Path dir;
  private final int port = FreePorts.one();
  private Child child;
  private int starts;

  KafkaProcess(Bench bench, Path dir) {
    this.bench = bench;
    this.dir = dir;
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Starts the broker and returns once it answers clients: the seconds that took. */
  double start() throws IOException {
    child =
        Child.start(
            "kafka-" + (++starts),
            bench.java(
                List.of("-Xmx1g"),
                KafkaBrokerMain.class.getName(),
                List.of(dir.toString(), Integer.toString(port), "3")),
            bench.logDir);
    long ready = child.awaitOutput("broker ready", Duration.ofSeconds(120));
    return (ready - child.startedNanos) / 1e9;
  }

  void stop() throws InterruptedException {
    if (child != null) {
      child.stop(Duration.ofSeconds(60));
      child = null;
    }
  }

  long pid() {
    return child == null ? -1 : child.pid();
  }

  double cpuSeconds() {
    return child == null ? Double.NaN : ProcessProbe.cpuSeconds(child.pid());
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
