package io.edgegate.kafka.embedded;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/** Waits until a broker answers a client, as seen from outside: through its client listener. */
final class BrokerReadiness {

  private static final Duration ATTEMPT = Duration.ofSeconds(2);
  // Keeps a fast-failing attempt (e.g. an error the client does not retry) from spinning.
  private static final long PAUSE_AFTER_FAILURE_MS = 100;

  private BrokerReadiness() {}

  /**
   * Blocks until the broker at {@code bootstrapServers} lists at least one live broker.
   *
   * @throws IllegalStateException if that does not happen within {@code deadline}
   */
  static void await(String bootstrapServers, Duration deadline) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    Exception last = null;
    try (Admin admin = Admin.create(adminConfig(bootstrapServers))) {
      while (System.nanoTime() < end) {
        try {
          Collection<Node> nodes =
              admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs((int) ATTEMPT.toMillis()))
                  .nodes()
                  .get(ATTEMPT.toMillis(), TimeUnit.MILLISECONDS);
          if (!nodes.isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // Not listening or not registered yet: the next attempt waits for up to ATTEMPT again.
          last = e;
          Thread.sleep(PAUSE_AFTER_FAILURE_MS);
        }
      }
    }
    throw new IllegalStateException(
        "Kafka broker at "
            + bootstrapServers
            + " not ready within "
            + deadline.toSeconds()
            + " s"
            + (last == null ? "" : ": " + last),
        last);
  }

  private static Map<String, Object> adminConfig(String bootstrapServers) {
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers,
        AdminClientConfig.CLIENT_ID_CONFIG,
        "edgegate-embedded-kafka-readiness",
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) ATTEMPT.toMillis(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        (int) ATTEMPT.toMillis(),
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
        200);
  }

  /** Creates (or updates) SCRAM-SHA-512 credentials through the PLAINTEXT listener. */
  static void createScramUsers(
      String bootstrapServers, Map<String, String> users, Duration deadline) throws Exception {
    if (users.isEmpty()) {
      return;
    }
    try (Admin admin = Admin.create(adminConfig(bootstrapServers))) {
      java.util.List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> upserts =
          new java.util.ArrayList<>();
      users.forEach(
          (user, password) ->
              upserts.add(
                  new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                      user,
                      new org.apache.kafka.clients.admin.ScramCredentialInfo(
                          org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 4096),
                      password)));
      admin
          .alterUserScramCredentials(upserts)
          .all()
          .get(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }
}
