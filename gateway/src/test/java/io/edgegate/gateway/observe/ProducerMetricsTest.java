package io.edgegate.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.forward.ReplacementProducers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Kafka producer meters follow the producer in use, also after fencing replaced it. */
class ProducerMetricsTest {
  private static final MetricName SENT =
      new MetricName("record-send-total", "producer-metrics", "", Map.of("client-id", "tx-1"));

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  @Test
  void eachReplacementProducerIsBoundAndTheReplacedOneUnbound() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Observability observability =
        new Observability(vertx, new GatewayConfig(), registry, Clock.systemUTC());
    MockProducer<String, byte[]> first = producerThatSent(5);
    observability.producerCreated(first);
    assertThat(sent(registry)).containsExactly(5.0);

    List<MockProducer<String, byte[]>> made = List.of(producerThatSent(7), producerThatSent(11));
    int[] next = {0};
    ReplacementProducers<String, byte[]> producers =
        new ReplacementProducers<>(
            first, () -> made.get(next[0]++), observability::producerReplaced);

    assertThat(producers.get()).isSameAs(made.get(0));
    assertThat(sent(registry)).as("the replacement's meter, and only it").containsExactly(7.0);
    assertThat(producers.get()).isSameAs(made.get(1));
    assertThat(sent(registry)).containsExactly(11.0);
    observability.close().await();
  }

  private static List<Double> sent(SimpleMeterRegistry registry) {
    return registry.getMeters().stream()
        .filter(m -> m.getId().getName().equals("kafka.producer.record.send.total"))
        .flatMap(m -> java.util.stream.StreamSupport.stream(m.measure().spliterator(), false))
        .map(io.micrometer.core.instrument.Measurement::getValue)
        .toList();
  }

  private static MockProducer<String, byte[]> producerThatSent(double n) {
    MockProducer<String, byte[]> p = new MockProducer<>();
    p.setMockMetrics(
        SENT,
        new Metric() {
          @Override
          public MetricName metricName() {
            return SENT;
          }

          @Override
          public Object metricValue() {
            return n;
          }
        });
    return p;
  }
}
