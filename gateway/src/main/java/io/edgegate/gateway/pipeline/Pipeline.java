package io.edgegate.gateway.pipeline;

import io.edgegate.gateway.config.ForwardConfig;
import io.edgegate.gateway.forward.Forwarding;
import io.edgegate.gateway.forward.Outgoing;
import io.edgegate.gateway.journal.DamagedEntry;
import io.edgegate.gateway.journal.JournalEntry;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalReader;
import io.edgegate.gateway.thread.Confinement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Moves events from the journal reader to the forwarder, building each Kafka record on the way.
 * <b>Confined to its event loop.</b>
 *
 * <p>Backpressure is pull-based: the reader delivers only what was requested, and the pipeline
 * requests only while the forwarder's buffered events and bytes are under {@code
 * forward.maxBufferedEvents} / {@code forward.maxBufferedBytes}. When Kafka is slow or down, the
 * requests stop and the backlog stays in the journal: memory is flat however long the outage.
 */
public final class Pipeline {
  private final Confinement.Owner owner = Confinement.firstCaller();
  private static final int REQUEST_BATCH = 512;

  private EventProcessor processor; // replaced by a reload, between batches (pipeline context)
  private final ForwardConfig budget;
  private Forwarding forwarder;
  private IntConsumer reader; // JournalReader::request
  private long requested;
  // snapshots for gauges read on other threads
  private volatile long bufferedEvents;
  private volatile long bufferedBytes;

  public Pipeline(EventProcessor processor, ForwardConfig budget) {
    this.processor = processor;
    this.budget = budget;
  }

  /**
   * Routes, schemas and the registry of a reloaded configuration, for the entries of the next batch
   * on: call on the pipeline's context, so no batch sees two processors. Duplicate suppression
   * starts a new window.
   */
  public void replaceProcessor(EventProcessor next) {
    assert owner.check();
    this.processor = next;
  }

  /** Connects both ends and asks for the first entries. */
  public void start(Forwarding forwarder, JournalReader reader) {
    start(forwarder, reader::request);
  }

  /** As {@link #start(Forwarding, JournalReader)}, with the reader's {@code request(n)} alone. */
  void start(Forwarding forwarder, IntConsumer requests) {
    this.forwarder = forwarder;
    this.reader = requests;
    requestMore();
  }

  /** The reader's sink: a batch of entries in journal order, offered to the forwarder at once. */
  public void accept(List<JournalEntry> batch) {
    assert owner.check();
    requested -= batch.size();
    List<Outgoing> run = new ArrayList<>(batch.size());
    for (JournalEntry entry : batch) {
      if (entry instanceof JournalEvent e) {
        ProducerRecord<String, byte[]> record = processor.process(e);
        run.add(
            record == null
                ? Outgoing.skipped(e.index()) // a suppressed repeat: settled, nothing to send
                : new Outgoing(
                    e.index(),
                    e.receivedAtMillis(),
                    e.expiresAtMillis(),
                    EventProcessor.recordWeight(record),
                    record));
      } else if (entry instanceof DamagedEntry d) {
        run.add(Outgoing.skipped(d.index()));
      }
    }
    if (!run.isEmpty()) {
      forwarder.offer(run);
    }
    requestMore();
  }

  /** Called whenever the forwarder settled events and so freed budget. */
  public void requestMore() {
    assert owner.check();
    if (reader == null) {
      return;
    }
    long room = budget.maxBufferedEvents - forwarder.bufferedEvents() - requested;
    bufferedEvents = forwarder.bufferedEvents();
    bufferedBytes = forwarder.bufferedBytes();
    boolean bytesLeft = forwarder.bufferedBytes() < budget.maxBufferedBytes;
    // Ask in sizeable steps: one request per settled event would cost a thread wake-up each.
    if (bytesLeft && room >= Math.min(REQUEST_BATCH, budget.maxBufferedEvents / 2)) {
      int n = (int) Math.min(room, REQUEST_BATCH * 4L);
      requested += n;
      reader.accept(n);
    }
  }

  /**
   * Events read from the journal and not yet settled (acknowledged by Kafka, dead-lettered or
   * skipped). Read requests the journal has not answered are not events and are not counted. Any
   * thread (a snapshot, refreshed whenever the forwarder takes or settles events).
   */
  public long bufferedEvents() {
    return bufferedEvents;
  }

  /** Payload bytes of {@link #bufferedEvents()}. Any thread (a snapshot). */
  public long bufferedBytes() {
    return bufferedBytes;
  }
}
