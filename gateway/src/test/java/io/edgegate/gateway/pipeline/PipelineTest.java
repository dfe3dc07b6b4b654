package io.edgegate.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.ConfigLoader;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.forward.Forwarding;
import io.edgegate.gateway.forward.Outgoing;
import io.edgegate.gateway.journal.JournalEntry;
import io.edgegate.gateway.journal.TestJournals;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the pipeline asks of the journal and what its gauges report. */
class PipelineTest {
  private final List<Integer> requests = new ArrayList<>();
  private final StubForwarder forwarder = new StubForwarder();

  /** Holds what it is offered until the test settles it. */
  private static final class StubForwarder implements Forwarding {
    final List<Outgoing> held = new ArrayList<>();
    final List<Integer> offers = new ArrayList<>();
    long bytes;
    Runnable onSpace = () -> {};

    @Override
    public void offer(Outgoing o) {
      offer(List.of(o));
    }

    @Override
    public void offer(List<Outgoing> batch) {
      offers.add(batch.size());
      held.addAll(batch);
      bytes += batch.size() * 100L;
    }

    void settleAll() {
      held.clear();
      bytes = 0;
      onSpace.run();
    }

    @Override
    public int bufferedEvents() {
      return held.size();
    }

    @Override
    public long bufferedBytes() {
      return bytes;
    }

    @Override
    public Future<Void> close(Duration timeout) {
      return Future.succeededFuture();
    }
  }

  private Pipeline pipeline() throws Exception {
    GatewayConfig config =
        ConfigLoader.parse(
            "test.yaml",
            """
            gateway: {id: gw-1}
            kafka: {bootstrapServers: 'k:9092', topic: events, deadLetterTopic: dlq}
            """);
    Pipeline p = new Pipeline(EventProcessor.load(config, new PipelineStats() {}), config.forward);
    forwarder.onSpace = p::requestMore;
    p.start(forwarder, requests::add);
    return p;
  }

  @Test
  void anIdleGatewayBuffersNothingThoughReadsAreRequested() throws Exception {
    Pipeline p = pipeline();
    assertThat(requests).as("reads requested ahead").isNotEmpty();
    assertThat(p.bufferedEvents()).isZero();
    assertThat(p.bufferedBytes()).isZero();
  }

  @Test
  void buffersWhatWasReadUntilItIsSettled() throws Exception {
    Pipeline p = pipeline();
    List<JournalEntry> batch = new ArrayList<>(TestJournals.events(5, 1_000));
    p.accept(batch);
    assertThat(forwarder.offers).as("one offer per batch").containsExactly(5);
    assertThat(p.bufferedEvents()).isEqualTo(5);
    assertThat(p.bufferedBytes()).isEqualTo(500);
    forwarder.settleAll();
    assertThat(p.bufferedEvents()).isZero();
    assertThat(p.bufferedBytes()).isZero();
  }
}
