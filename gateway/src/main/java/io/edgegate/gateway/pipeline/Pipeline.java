package io.edgegate.gateway.pipeline;

import io.edgegate.gateway.config.ForwardConfig;
import io.edgegate.gateway.forward.Forwarding;
import io.edgegate.gateway.forward.Outgoing;
import io.edgegate.gateway.journal.DamagedEntry;
import io.edgegate.gateway.journal.JournalEntry;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.journal.JournalReader;
import java.util.List;
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
  private static final int REQUEST_BATCH = 512;

  private EventProcessor processor; // replaced by a reload, between batches (pipeline context)
  private final ForwardConfig budget;
  private Forwarding forwarder;
  private JournalReader reader;
  private long requested;
  private volatile long inMemory; // snapshot for gauges read on other threads

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
    this.processor = next;
  }

  /** Connects both ends and asks for the first entries. */
  public void start(Forwarding forwarder, JournalReader reader) {
    this.forwarder = forwarder;
    this.reader = reader;
    requestMore();
  }

  /** The reader's sink: a batch of entries in journal order. */
  public void accept(List<JournalEntry> batch) {
    requested -= batch.size();
    for (JournalEntry entry : batch) {
      if (entry instanceof JournalEvent e) {
        ProducerRecord<String, byte[]> record = processor.process(e);
        forwarder.offer(
            record == null
                ? Outgoing.skipped(e.index()) // a suppressed repeat: settled, nothing to send
                : new Outgoing(
                    e.index(), e.receivedAtMillis(), e.expiresAtMillis(), e.weight(), record));
      } else if (entry instanceof DamagedEntry d) {
        forwarder.offer(Outgoing.skipped(d.index()));
      }
    }
    requestMore();
  }

  /** Called whenever the forwarder settled events and so freed budget. */
  public void requestMore() {
    if (reader == null) {
      return;
    }
    long room = budget.maxBufferedEvents - forwarder.bufferedEvents() - requested;
    inMemory = forwarder.bufferedEvents() + requested;
    boolean bytesLeft = forwarder.bufferedBytes() < budget.maxBufferedBytes;
    // Ask in sizeable steps: one request per settled event would cost a thread wake-up each.
    if (bytesLeft && room >= Math.min(REQUEST_BATCH, budget.maxBufferedEvents / 2)) {
      int n = (int) Math.min(room, REQUEST_BATCH * 4L);
      requested += n;
      inMemory += n;
      reader.request(n);
    }
  }

  /**
   * Events read and not yet settled, plus those requested: what the pipeline can hold in memory.
   * Any thread (a snapshot).
   */
  public long inMemory() {
    return inMemory;
  }
}
