package io.edgegate.benchmarks.runner;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The run's topics, created before anything writes to them, with {@code
 * message.timestamp.type=LogAppendTime}: a record's timestamp is then the moment the broker
 * appended it, the same end point for the gateway's records and the raw producer's.
 */
final class Topics {
  static final int PARTITIONS = 3;

  private Topics() {}

  static void create(String bootstrap, String topic) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      NewTopic t =
          new NewTopic(topic, Optional.of(PARTITIONS), Optional.empty())
              .configs(Map.of("message.timestamp.type", "LogAppendTime"));
      admin.createTopics(List.of(t)).all().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + topic + ": timeout", e);
    }
  }
}
