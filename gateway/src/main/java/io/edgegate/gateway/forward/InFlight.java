package io.edgegate.gateway.forward;

import java.util.ArrayList;
import java.util.List;

/**
 * The records {@link Forwarder} handed to the producer and Kafka has not answered yet: counted
 * against {@code forward.maxInFlightBytes} (key, value and header bytes; at least one record may
 * always go), and gathered into one run per pass of the loop, so that the sender thread takes a
 * whole run as one task.
 *
 * <p><b>Confined to the forward loop</b>: every method that changes it is called on the loop and
 * asserts it.
 */
final class InFlight {
  private final ForwardLoop loop;
  private final RecordSender sender;
  private long maxBytes = 8L * 1024 * 1024;
  private List<Outgoing> run = new ArrayList<>(); // the next run for the sender
  private int count;
  private long bytes;

  InFlight(ForwardLoop loop, RecordSender sender) {
    this.loop = loop;
    this.sender = sender;
  }

  /** Bounds the bytes handed to the producer and not yet acknowledged. */
  void maxBytes(long bytes) {
    this.maxBytes = bytes;
  }

  /** Whether one more record may be handed over now. */
  boolean hasRoom() {
    return bytes < maxBytes || count == 0;
  }

  /** Whether every record handed over was answered. */
  boolean isEmpty() {
    return count == 0;
  }

  /** Counts {@code o} in flight and adds it to the next run. Called on the loop. */
  void add(Outgoing o) {
    assert loop.inLoop();
    count++;
    o.sentBytes = RecordSize.of(o.record);
    bytes += o.sentBytes;
    o.sentAtNanos = loop.nanoTime();
    run.add(o);
  }

  /** Hands the run gathered so far to the sender, if there is one. Called on the loop. */
  void flush() {
    assert loop.inLoop();
    if (!run.isEmpty()) {
      sender.send(run);
      run = new ArrayList<>();
    }
  }

  /** Kafka answered {@code o}: it no longer counts. Called on the loop. */
  void answered(Outgoing o) {
    assert loop.inLoop();
    count--;
    bytes -= o.sentBytes;
  }
}
