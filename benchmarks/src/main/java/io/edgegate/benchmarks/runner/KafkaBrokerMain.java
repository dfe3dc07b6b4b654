package io.edgegate.benchmarks.runner;

import io.edgegate.kafka.embedded.KafkaRaftBroker;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A single-node KRaft broker as a process of its own, so the runner can measure its CPU and stop
 * and restart it (same data directory and port) for the outage scenario. Usage: {@code
 * KafkaBrokerMain DIR PORT PARTITIONS}; prints {@code broker ready HOST:PORT}; SIGTERM stops it.
 */
public final class KafkaBrokerMain {
  private KafkaBrokerMain() {}

  public static void main(String[] args) throws Exception {
    KafkaRaftBroker broker =
        KafkaRaftBroker.start(
            Path.of(args[0]), "127.0.0.1", Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.close();
                  stopped.countDown();
                }));
    System.out.println("broker ready " + broker.bootstrapServers());
    System.out.flush();
    stopped.await();
  }
}
