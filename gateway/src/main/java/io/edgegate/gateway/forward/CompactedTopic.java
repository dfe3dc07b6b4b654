package io.edgegate.gateway.forward;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;

/** A one-partition compacted topic the gateway keeps its own positions or markers in. */
public final class CompactedTopic {
  private CompactedTopic() {}

  /**
   * Creates {@code topic} with {@code connection}'s client settings if it is missing (one
   * partition, the broker's replication factor). Blocking: for a worker or a command-line thread.
   */
  public static void ensure(Map<String, Object> connection, String topic, Duration timeout)
      throws InterruptedException, ExecutionException {
    Map<String, Object> props = new HashMap<>(connection);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    try (Admin admin = Admin.create(props)) {
      NewTopic t =
          new NewTopic(topic, Optional.of(1), Optional.empty())
              .configs(Map.of("cleanup.policy", "compact"));
      admin.createTopics(List.of(t)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException("creating topic " + topic + " took longer than " + timeout, e);
    }
  }
}
