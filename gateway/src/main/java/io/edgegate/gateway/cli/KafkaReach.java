package io.edgegate.gateway.cli;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.forward.ProducerSettings;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * {@code config check --connect}: reaches Kafka with the producer's address and security settings
 * (an admin client, so nothing is written) and says what it found: brokers, the cluster, the
 * gateway's topics.
 */
final class KafkaReach {
  private KafkaReach() {}

  /** True when a broker answered; what was found goes to {@code out}. */
  static boolean report(GatewayConfig config, PrintWriter out, long timeoutMillis) {
    if (config.kafka.embedded.enabled) {
      out.println(
          "Kafka: kafka.embedded.enabled: the broker starts with the gateway, nothing to reach");
      return true;
    }
    Map<String, Object> settings = new HashMap<>();
    ProducerSettings.of(config, config.kafka.bootstrapServers)
        .forEach(
            (k, v) -> {
              if (AdminClientConfig.configNames().contains(k)) {
                settings.put(k, v);
              }
            });
    settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "edgegate-config-check");
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
    try (Admin admin = Admin.create(settings)) {
      Collection<Node> nodes =
          admin.describeCluster().nodes().get(timeoutMillis, TimeUnit.MILLISECONDS);
      String cluster =
          admin.describeCluster().clusterId().get(timeoutMillis, TimeUnit.MILLISECONDS);
      out.printf(
          "Kafka: reached %s: %d broker(s), cluster %s%n",
          config.kafka.bootstrapServers, nodes.size(), cluster);
      for (String topic : List.of(config.kafka.topic, config.kafka.deadLetterTopic)) {
        try {
          TopicDescription d =
              admin
                  .describeTopics(List.of(topic))
                  .topicNameValues()
                  .get(topic)
                  .get(timeoutMillis, TimeUnit.MILLISECONDS);
          out.printf("  topic %s: %d partition(s)%n", topic, d.partitions().size());
        } catch (ExecutionException e) {
          out.printf(
              "  topic %s: %s%n",
              topic,
              e.getCause() instanceof UnknownTopicOrPartitionException
                  ? "does not exist (sends fail unless the cluster creates topics automatically)"
                  : "cannot be described: " + EdgeGateCommand.describe(e.getCause()));
        }
      }
      return true;
    } catch (Exception e) {
      out.printf(
          "Kafka: cannot reach %s within %d ms: %s%n",
          config.kafka.bootstrapServers,
          timeoutMillis,
          EdgeGateCommand.describe(e instanceof ExecutionException ? e.getCause() : e));
      return false;
    }
  }
}
