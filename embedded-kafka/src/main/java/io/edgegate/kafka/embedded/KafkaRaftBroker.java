package io.edgegate.kafka.embedded;

import io.edgegate.gateway.forward.EmbeddedKafka;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka broker (combined broker and KRaft controller) running in this process.
 *
 * <p>Threading: {@link #start} and {@link #close} block for seconds, never call them on an event
 * loop. {@link #close} may be called from any thread, more than once.
 */
public final class KafkaRaftBroker implements EmbeddedKafka {

  /** How long {@link #start} waits for the broker to answer clients. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private boolean closed; // guarded by this: a second close waits for the first to finish

  private KafkaRaftBroker(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Starts a broker and returns once it answers clients.
   *
   * @param logDir where the broker keeps its data; formatted on first use, reused afterwards
   * @param host the address both listeners bind to and clients are told to connect to
   * @param port the client port, or 0 for a free one
   * @param partitions the number of partitions of automatically created topics
   */
  public static KafkaRaftBroker start(Path logDir, String host, int port, int partitions)
      throws Exception {
    return start(logDir, host, port, partitions, null);
  }

  /**
   * Starts a broker whose client listener speaks SASL_SSL ({@code saslSsl}; PLAINTEXT when null),
   * with its SCRAM users created, and returns once it answers clients.
   */
  public static KafkaRaftBroker start(
      Path logDir, String host, int port, int partitions, SaslSslListener saslSsl)
      throws Exception {
    if (InetAddress.getByName(host).isAnyLocalAddress()) {
      // Kafka refuses to advertise a wildcard address: clients could not connect to it.
      throw new IllegalArgumentException(
          "Kafka host must be an address clients can reach, not the wildcard " + host);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    Files.createDirectories(logDir);
    int clientPort = port == 0 ? FreePorts.on(host) : port;
    // Only this process talks to the controller, so its port may change from one start to the next;
    // a sole voter needs no peer to find it at its old address.
    // The client port is not bound while the broker is down, so the OS may hand it out again.
    int controllerPort = FreePorts.on(host, clientPort);
    Path dataDir = logDir.resolve("data");
    Properties props =
        KraftProperties.singleNode(dataDir, host, clientPort, controllerPort, partitions);
    String internal = host + ":" + clientPort;
    if (saslSsl != null) {
      int internalPort = FreePorts.on(host, clientPort, controllerPort);
      internal = host + ":" + internalPort;
      saslSsl.apply(props, host, clientPort, internalPort, host + ":" + controllerPort);
    }
    Path propsFile = logDir.resolve("server.properties");
    KraftProperties.write(props, propsFile);
    KraftStorage.formatIfNeeded(logDir, dataDir, propsFile);

    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    KafkaRaftBroker broker = new KafkaRaftBroker(server, host + ":" + clientPort);
    try {
      startup(server, broker.bootstrapServers, logDir);
      BrokerReadiness.await(internal, READY_TIMEOUT);
      if (saslSsl != null) {
        BrokerReadiness.createScramUsers(internal, saslSsl.scramUsers(), READY_TIMEOUT);
      }
      return broker;
    } catch (Throwable e) {
      // Half-started servers keep threads and ports: release them before reporting.
      try {
        broker.close();
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  /** Starts the server; its own exceptions name the step, not the reason, hence the root cause. */
  private static void startup(KafkaRaftServer server, String bootstrapServers, Path logDir) {
    try {
      server.startup();
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new IllegalStateException(
          "cannot start Kafka broker on "
              + bootstrapServers
              + " with log dir "
              + logDir
              + ": "
              + cause.getMessage(),
          e);
    }
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
  }

  @Override
  public String toString() {
    return "KafkaRaftBroker[" + bootstrapServers + "]";
  }
}
