package io.edgegate.it;

import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.edgegate.kafka.embedded.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft cluster in the test JVM on 127.0.0.1: three brokers and a quorum of three
 * controllers, each a {@link KafkaRaftServer} of its own. Brokers and controllers are separate
 * nodes so that brokers can lose their ISR while the controllers keep their quorum (with combined
 * nodes, stopping two brokers would also stop two of three voters). Any node can be stopped and
 * started again on its old ports and data directory, as an operator restarts a broker.
 *
 * <p>Why not Kafka's {@code KafkaClusterTestKit} ({@code kafka-test-common-runtime}): 4.4.0 needs
 * {@code org.apache.kafka.test.TestUtils} from the kafka-clients test jar, which is not published
 * for 4.4.0, and the kit cannot start a stopped controller again.
 *
 * <p>A stop is a controlled shutdown ({@link KafkaRaftServer#shutdown}): a broker hands its
 * leaderships over before it goes, as on SIGTERM. Threading: every method blocks for seconds; call
 * them from the test thread only.
 */
final class KafkaCluster implements AutoCloseable {
  static final int BROKERS = 3;
  static final List<Integer> BROKER_IDS = List.of(0, 1, 2);
  static final List<Integer> CONTROLLER_IDS = List.of(3000, 3001, 3002);
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  // A broker logs each produce it refuses for NOT_ENOUGH_REPLICAS at ERROR with a stack trace: a
  // deliberate ISR outage under load made ~180,000 such lines (70 MB of test output). The tests
  // assert the outcome instead; the logger is restored on close.
  private static final Logger REPLICA_MANAGER =
      (Logger) LoggerFactory.getLogger("kafka.server.ReplicaManager");

  private final Map<Integer, Properties> configs = new TreeMap<>();
  private final Level replicaManagerLevel = REPLICA_MANAGER.getLevel();
  private final Map<Integer, KafkaRaftServer> running = new TreeMap<>();
  private final String bootstrapServers;
  private final Admin admin;

  private KafkaCluster(Path dir) throws IOException {
    Map<Integer, Integer> ports = new TreeMap<>();
    BROKER_IDS.forEach(id -> ports.put(id, FreePorts.one()));
    CONTROLLER_IDS.forEach(id -> ports.put(id, FreePorts.one()));
    // Static voters: every node knows the quorum from its configuration, so a controller that
    // comes back finds its peers at the same addresses.
    String voters =
        CONTROLLER_IDS.stream()
            .map(id -> id + "@127.0.0.1:" + ports.get(id))
            .collect(Collectors.joining(","));
    bootstrapServers =
        BROKER_IDS.stream()
            .map(id -> "127.0.0.1:" + ports.get(id))
            .collect(Collectors.joining(","));
    String clusterId = Uuid.randomUuid().toString();
    for (int id : ports.keySet()) {
      Properties p = common(voters);
      boolean broker = BROKER_IDS.contains(id);
      String listener = (broker ? "PLAINTEXT" : "CONTROLLER") + "://127.0.0.1:" + ports.get(id);
      if (!broker) {
        // Topic defaults the controllers apply when a topic is created without them.
        p.setProperty("default.replication.factor", "3");
        p.setProperty("num.partitions", "3");
      }
      p.setProperty("node.id", Integer.toString(id));
      p.setProperty("process.roles", broker ? "broker" : "controller");
      p.setProperty("listeners", listener);
      if (broker) {
        p.setProperty("advertised.listeners", listener);
      }
      Path nodeDir = dir.resolve("node-" + id);
      p.setProperty("log.dirs", nodeDir.resolve("data").toAbsolutePath().toString());
      Files.createDirectories(nodeDir);
      Path file = nodeDir.resolve("server.properties");
      try (OutputStream out = Files.newOutputStream(file)) {
        p.store(out, "KafkaCluster node " + id);
      }
      format(clusterId, file);
      configs.put(id, p);
    }
    admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "it-cluster-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10_000));
  }

  private static Properties common(String voters) {
    Properties p = new Properties();
    p.setProperty("controller.quorum.voters", voters);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    // Every topic, the internal ones included, as a production cluster has them: three copies,
    // two of which must have a write before it is acknowledged (acks=all). The default replication
    // factor of new topics is a controller setting: see the constructor.
    p.setProperty("min.insync.replicas", "2");
    p.setProperty("offsets.topic.replication.factor", "3");
    p.setProperty("transaction.state.log.replication.factor", "3");
    p.setProperty("transaction.state.log.min.isr", "2");
    p.setProperty("share.coordinator.state.topic.replication.factor", "3");
    p.setProperty("share.coordinator.state.topic.min.isr", "2");
    // Fewer internal partitions and threads than the defaults: six nodes share two cores here.
    p.setProperty("offsets.topic.num.partitions", "3");
    p.setProperty("transaction.state.log.num.partitions", "3");
    p.setProperty("num.network.threads", "2");
    p.setProperty("num.io.threads", "2");
    p.setProperty("background.threads", "2");
    // The log cleaner's 128 MiB per broker would take a third of the test JVM's heap.
    p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(4 << 20));
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // A follower that stopped fetching leaves the ISR after 5 s instead of 30 s.
    p.setProperty("replica.lag.time.max.ms", "5000");
    return p;
  }

  private static void format(String clusterId, Path propsFile) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exit;
    try (PrintStream printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      exit =
          StorageTool.execute(
              new String[] {"format", "-t", clusterId, "-c", propsFile.toString()}, printer);
    }
    if (exit != 0) {
      throw new IllegalStateException(
          "cannot format " + propsFile + ": " + output.toString(StandardCharsets.UTF_8));
    }
  }

  /** Formats and starts every node; returns once the brokers answer clients. */
  static KafkaCluster start(Path dir) throws Exception {
    KafkaCluster cluster = new KafkaCluster(dir);
    REPLICA_MANAGER.setLevel(Level.OFF);
    try {
      // Controllers first: a broker's start waits until it has caught up with the metadata log.
      List<Integer> all = new ArrayList<>(CONTROLLER_IDS);
      all.addAll(BROKER_IDS);
      for (int id : all) {
        cluster.start(id);
      }
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () ->
                  cluster
                          .admin
                          .describeCluster()
                          .nodes()
                          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                          .size()
                      == BROKERS);
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** Creates a topic with three replicas and {@code min.insync.replicas=2}. */
  void createTopic(String name, int partitions) throws Exception {
    admin
        .createTopics(
            List.of(
                new NewTopic(name, partitions, (short) BROKERS)
                    .configs(Map.of("min.insync.replicas", "2"))))
        .all()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    awaitFullIsr(name);
  }

  TopicDescription describe(String topic) throws Exception {
    return admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .get(topic);
  }

  int leaderOf(String topic, int partition) throws Exception {
    return describe(topic).partitions().get(partition).leader().id();
  }

  /**
   * Moves the leadership of every partition of {@code topic} to another broker without stopping
   * one: the replica list is rotated (the same brokers, so no data moves) and the new first replica
   * is elected as the preferred leader. Returns once every partition is led by it.
   */
  void moveLeaders(String topic) throws Exception {
    Map<TopicPartition, java.util.Optional<NewPartitionReassignment>> moves =
        new java.util.HashMap<>();
    Map<TopicPartition, Integer> wanted = new java.util.HashMap<>();
    for (TopicPartitionInfo p : describe(topic).partitions()) {
      List<Integer> replicas =
          new ArrayList<>(p.replicas().stream().map(org.apache.kafka.common.Node::id).toList());
      java.util.Collections.rotate(replicas, -1);
      TopicPartition tp = new TopicPartition(topic, p.partition());
      moves.put(tp, java.util.Optional.of(new NewPartitionReassignment(replicas)));
      wanted.put(tp, replicas.get(0));
    }
    admin.alterPartitionReassignments(moves).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                admin
                    .listPartitionReassignments(wanted.keySet())
                    .reassignments()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .isEmpty());
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              var results =
                  admin
                      .electLeaders(ElectionType.PREFERRED, wanted.keySet())
                      .partitions()
                      .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
              results.forEach(
                  (tp, error) ->
                      error.ifPresent(
                          e -> {
                            if (!(e instanceof ElectionNotNeededException)) {
                              throw new IllegalStateException(tp + ": " + e, e);
                            }
                          }));
              return describe(topic).partitions().stream()
                  .allMatch(
                      p ->
                          p.leader() != null
                              && p.leader().id()
                                  == wanted.get(new TopicPartition(topic, p.partition())));
            });
  }

  QuorumInfo quorum() throws Exception {
    return admin.describeMetadataQuorum().quorumInfo().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The id of the active controller (the KRaft quorum leader). */
  int activeController() throws Exception {
    return quorum().leaderId();
  }

  /** Starts node {@code id} (again) with its configuration, ports and data. */
  void start(int id) {
    KafkaRaftServer server =
        new KafkaRaftServer(KafkaConfig.fromProps(configs.get(id), false), Time.SYSTEM);
    running.put(id, server);
    server.startup();
  }

  /** Stops node {@code id} (a controlled shutdown) and waits until it is gone. */
  void stop(int id) {
    KafkaRaftServer server = running.remove(id);
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
    }
  }

  /** Waits until every replica of every partition of {@code topic} is in sync again. */
  void awaitFullIsr(String topic) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () ->
                describe(topic).partitions().stream()
                    .map(TopicPartitionInfo::isr)
                    .allMatch(isr -> isr.size() == BROKERS));
  }

  @Override
  public void close() {
    try {
      admin.close(Duration.ofSeconds(5));
    } finally {
      // Brokers before controllers: a broker's controlled shutdown needs the controller.
      List<Integer> ids = new ArrayList<>(running.keySet());
      ids.sort((a, b) -> Boolean.compare(CONTROLLER_IDS.contains(a), CONTROLLER_IDS.contains(b)));
      ids.forEach(this::stop);
      REPLICA_MANAGER.setLevel(replicaManagerLevel);
    }
  }
}
