package io.edgegate.gateway.forward;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * The Kafka producer behind {@link RecordSender}, with a gate that keeps journal order across a
 * failed send.
 *
 * <p>A send can fail before its record enters the producer's buffer: most often a wait for topic
 * metadata that times out while the broker is away (the producer drops a topic's metadata when its
 * leader disappears). Sends behind it in the same run would then reach Kafka first. So the first
 * retriable failure closes the gate, and every send after it fails at once with {@link
 * GateClosedException} without touching the producer. The forwarder opens the gate again only when
 * nothing is in flight, and re-sends from the first failed record, in order.
 *
 * <p>Thread-safe: the gate flag is volatile, as the sender thread sends and the forwarder's loop
 * opens.
 */
final class GatedProducer<K, V> implements Producer<K, V> {
  private final Producer<K, V> delegate;
  private volatile boolean closed;

  GatedProducer(Producer<K, V> delegate) {
    this.delegate = delegate;
  }

  /** Lets sends through again; call only when no send is queued or in flight. */
  void open() {
    closed = false;
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
    if (closed) {
      throw new GateClosedException();
    }
    try {
      // A metadata timeout is reported through the callback, synchronously, before send returns:
      // the gate is closed before the next queued send runs.
      return delegate.send(
          record,
          (metadata, error) -> {
            if (error != null && SendFailure.of(error) == SendFailure.RETRY) {
              closed = true;
            }
            callback.onCompletion(metadata, error);
          });
    } catch (RuntimeException e) {
      if (SendFailure.of(e) == SendFailure.RETRY) {
        closed = true;
      }
      throw e;
    }
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
    return send(record, (m, e) -> {});
  }

  /** A send refused because an earlier one failed: it will be re-sent after that one. */
  static final class GateClosedException extends RetriableException {
    private static final long serialVersionUID = 1L;

    GateClosedException() {
      super("not sent: an earlier send failed and is retried first");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // an expected, frequent condition: the stack says nothing
    }
  }

  // Plain delegation below.

  @Override
  public void initTransactions() {
    delegate.initTransactions();
  }

  @Override
  public void beginTransaction() {
    delegate.beginTransaction();
  }

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    delegate.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  @Override
  public void commitTransaction() {
    delegate.commitTransaction();
  }

  @Override
  public void abortTransaction() {
    delegate.abortTransaction();
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    delegate.registerMetricForSubscription(metric);
  }

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    delegate.unregisterMetricFromSubscription(metric);
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }
}
