package io.edgegate.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The configuration of a single combined broker and controller node. */
final class KraftProperties {

  private KraftProperties() {}

  static Properties singleNode(
      Path dataDir, String host, int clientPort, int controllerPort, int partitions) {
    String controller = host + ":" + controllerPort;
    Properties props = new Properties();
    props.setProperty("process.roles", "broker,controller");
    props.setProperty("node.id", "1");
    props.setProperty(
        "listeners", "PLAINTEXT://" + host + ":" + clientPort + ",CONTROLLER://" + controller);
    props.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + clientPort);
    props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.setProperty("inter.broker.listener.name", "PLAINTEXT");
    props.setProperty("controller.listener.names", "CONTROLLER");
    // Bootstrap servers rather than static voters: what "format --standalone" expects.
    props.setProperty("controller.quorum.bootstrap.servers", controller);
    props.setProperty("log.dirs", dataDir.toAbsolutePath().toString());

    // One node: internal topics cannot have more replicas than that (defaults are 3).
    props.setProperty("offsets.topic.replication.factor", "1");
    props.setProperty("transaction.state.log.replication.factor", "1");
    props.setProperty("transaction.state.log.min.isr", "1");
    props.setProperty("share.coordinator.state.topic.replication.factor", "1");
    props.setProperty("share.coordinator.state.topic.min.isr", "1");
    // The defaults (50) only slow down the first consumer group and transaction on one node.
    props.setProperty("offsets.topic.num.partitions", "1");
    props.setProperty("transaction.state.log.num.partitions", "1");
    // Nobody else will join: the first consumer group need not wait 3 s for more members.
    props.setProperty("group.initial.rebalance.delay.ms", "0");

    props.setProperty("auto.create.topics.enable", "true");
    props.setProperty("num.partitions", Integer.toString(partitions));
    return props;
  }

  /** Writes {@code props} for the storage tool, and for a person looking at the log directory. */
  static void write(Properties props, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "the configuration of the last start of the embedded Kafka node");
    }
  }
}
