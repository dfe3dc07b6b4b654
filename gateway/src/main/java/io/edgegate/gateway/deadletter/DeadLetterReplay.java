package io.edgegate.gateway.deadletter;

import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.forward.ProducerSettings;
import io.edgegate.gateway.pipeline.EventProcessor;
import io.edgegate.gateway.pipeline.PipelineStats;
import io.edgegate.gateway.thread.Confinement;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Runs the dead letters of {@code kafka.deadLetterTopic} through the current pipeline (the
 * configuration's routes, schemas, upcasts and device registry, built as the gateway builds them,
 * without its listener or journal): those that pass go to their routed topic with their original
 * {@code ce_id}; those that still fail stay where they are and are reported with the reason they
 * fail with now; the {@link ReplaySummary} counts every outcome. A dry run only reads.
 *
 * <p><b>Why markers in transactions.</b> Each replayed event is sent in a Kafka transaction
 * together with its marker (a record keyed by its {@code ce_id} on the compacted {@code
 * <dead-letter topic>.replayed}, see {@link ReplayMarkers}); a run first reads the committed
 * markers and skips their dead letters. So a second run sends nothing twice, and a crash mid-run
 * loses nothing and duplicates nothing for {@code read_committed} consumers: a transaction left
 * open is aborted when the next run initialises the same transactional id, with its events and
 * markers together, and those events are sent again. Consumers reading uncommitted records may see
 * such an aborted copy; it carries the same {@code ce_id}, by which they drop it. The same fencing
 * stops two runs at once: the later one fences the earlier before reading the markers, so it sees
 * every marker the earlier one committed. The alternatives fall short: a consumer-group offset is
 * one position, so dead letters that still fail, and must be tried again after the next fix, would
 * lie behind it; a header on the sent record needs a read of every target topic to find it.
 *
 * <p>Only dead letters this gateway wrote ({@code edgegate_gateway} = {@code gateway.id}) are
 * taken: another's event would get this gateway's {@code ce_source} and registry. The dead-letter
 * topic is read with {@code read_committed} from its beginning to the end it had at the start.
 *
 * <p>Blocking (Kafka and files) and used by one thread, the caller's.
 */
public final class DeadLetterReplay {
  private final Confinement.Owner owner = Confinement.firstCaller();

  /** Events per transaction: each waits for its commit, so a failure loses at most these sends. */
  static final int TRANSACTION_MAX = 500;

  private final GatewayConfig config;
  private final String bootstrapServers;
  private final Duration timeout;
  private final Clock clock;

  /**
   * @param timeout how long a read may go without progress, and a Kafka call may take
   */
  public DeadLetterReplay(
      GatewayConfig config, String bootstrapServers, Duration timeout, Clock clock) {
    this.config = config;
    this.bootstrapServers = bootstrapServers;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** The topic that records what was replayed. */
  public String markerTopic() {
    return ReplayMarkers.topic(config.kafka.deadLetterTopic);
  }

  /**
   * Replays the dead letters {@code filter} takes; with {@code dryRun}, only says what would
   * happen. Kafka failures while sending are in the summary ({@link ReplaySummary#complete}); a
   * failure to read throws.
   */
  public ReplaySummary run(ReplayFilter filter, boolean dryRun)
      throws IOException, InterruptedException, ExecutionException {
    assert owner.check();
    String dlq = config.kafka.deadLetterTopic;
    DeadLetterTriage triage =
        new DeadLetterTriage(
            config.gateway.id, dlq, filter, EventProcessor.load(config, PipelineStats.NONE), clock);
    ReplaySummary summary = new ReplaySummary(dlq, dryRun);
    if (dryRun) {
      Set<String> replayed = ReplayMarkers.read(consumerSettings(), markerTopic(), timeout);
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerSettings())) {
        TopicReader.readToEnd(
            c,
            dlq,
            timeout,
            r -> {
              ProducerRecord<String, byte[]> out =
                  triage.judge(new DeadLetter(r), replayed, summary);
              if (out != null) {
                summary.countPassed(out.topic());
              }
              return true;
            });
      }
      return summary;
    }
    ReplayMarkers.ensureTopic(connectionSettings(), markerTopic(), timeout);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerSettings());
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerSettings())) {
      // Fences an earlier run and ends its open transaction before its markers are read.
      producer.initTransactions();
      Set<String> replayed = ReplayMarkers.read(consumerSettings(), markerTopic(), timeout);
      Batch batch = new Batch(producer, summary);
      TopicReader.readToEnd(
          c,
          dlq,
          timeout,
          r -> {
            DeadLetter d = new DeadLetter(r);
            ProducerRecord<String, byte[]> out = triage.judge(d, replayed, summary);
            if (out != null && !batch.send(d, out)) {
              return false;
            }
            return batch.size() < TRANSACTION_MAX || batch.commit();
          });
      batch.commit();
    }
    return summary;
  }

  /** The open transaction: the sends since the last commit. */
  private final class Batch {
    private final KafkaProducer<String, byte[]> producer;
    private final ReplaySummary summary;
    private final List<String> topics = new ArrayList<>();
    private boolean failed;

    Batch(KafkaProducer<String, byte[]> producer, ReplaySummary summary) {
      this.producer = producer;
      this.summary = summary;
    }

    int size() {
      return topics.size();
    }

    /**
     * Sends {@code out} and its marker in the open transaction; false (and the rest not read) if
     * that failed.
     */
    boolean send(DeadLetter d, ProducerRecord<String, byte[]> out) {
      if (failed) {
        return false;
      }
      try {
        if (topics.isEmpty()) {
          producer.beginTransaction();
        }
        topics.add(out.topic());
        producer.send(out);
        producer.send(ReplayMarkers.marker(markerTopic(), d, out, clock.instant()));
        return true;
      } catch (KafkaException e) {
        fail(e);
        return false;
      }
    }

    /** Commits what was sent; false (and the rest not read) if that failed. */
    boolean commit() {
      if (failed) {
        return false;
      }
      if (topics.isEmpty()) {
        return true;
      }
      try {
        producer.commitTransaction(); // waits for every send of the transaction
        topics.forEach(summary::countPassed);
        topics.clear();
        return true;
      } catch (KafkaException e) {
        fail(e);
        return false;
      }
    }

    private void fail(KafkaException e) {
      failed = true;
      try {
        producer.abortTransaction();
      } catch (KafkaException ignored) {
        // fenced or fatal: the broker aborts it when the next run initialises
      }
      summary.countFailed(
          topics.size(),
          topics.size()
              + " event(s) not sent, they stay dead letters ("
              + describe(e)
              + "); the dead letters after them were not read; run the replay again");
      topics.clear();
    }
  }

  private static String describe(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      if (t.getMessage() != null && s.indexOf(t.getMessage()) < 0) {
        s.append(s.length() == 0 ? "" : ": ").append(t.getMessage());
      }
    }
    return s.length() == 0 ? e.getClass().getSimpleName() : s.toString();
  }

  /** Address, security and DNS settings of {@code kafka.producer}, for every client here. */
  private Map<String, Object> connectionSettings() {
    Map<String, Object> out = new HashMap<>();
    ProducerSettings.of(config, bootstrapServers)
        .forEach(
            (k, v) -> {
              if (k.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
                  || k.startsWith("security.")
                  || k.startsWith("sasl.")
                  || k.startsWith("ssl.")
                  || k.equals("client.dns.lookup")) {
                out.put(k, v);
              }
            });
    return out;
  }

  private Map<String, Object> consumerSettings() {
    Map<String, Object> c = connectionSettings();
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "edgegate-" + config.gateway.id + "-deadletter-replay");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return c;
  }

  private Map<String, Object> producerSettings() {
    Map<String, Object> p = new HashMap<>(ProducerSettings.of(config, bootstrapServers));
    // Its own transactional id, never the gateway's (that would fence the running gateway).
    p.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        ProducerSettings.transactionalId(config) + "-deadletter-replay");
    p.put(
        ProducerConfig.CLIENT_ID_CONFIG,
        p.get(ProducerConfig.CLIENT_ID_CONFIG) + "-deadletter-replay");
    // A transaction whose records cannot be delivered fails rather than hold the commit for ever.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    return p;
  }
}
