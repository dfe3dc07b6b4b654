package io.edgegate.gateway.forward;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.LongConsumer;

/**
 * The events a forwarder accepted and has not settled yet, in journal order, with the bytes they
 * hold: the forward budget the pipeline reads, and the one place a settled prefix moves the
 * checkpoint. Both delivery modes keep their backlog here ({@link Forwarder} settles by Kafka's
 * answers, {@link TransactionalForwarder} by committed transactions).
 *
 * <p><b>Confined to the forward loop</b>: every method that changes it is called on the loop and
 * asserts it; the reads are the loop's too (the pipeline takes its snapshot there).
 */
final class Unsettled implements Iterable<Outgoing> {
  private final ForwardLoop loop;
  private final LongConsumer onCommitted;
  private final Runnable onSpace;
  private final ArrayDeque<Outgoing> events = new ArrayDeque<>();
  private long bytes;

  /**
   * @param onCommitted the last journal index of the settled prefix, called on the loop
   * @param onSpace called on the loop after events were settled (budget was freed)
   */
  Unsettled(ForwardLoop loop, LongConsumer onCommitted, Runnable onSpace) {
    this.loop = loop;
    this.onCommitted = onCommitted;
    this.onSpace = onSpace;
  }

  /** Takes the next event in journal order. Called on the loop. */
  void add(Outgoing o) {
    assert loop.inLoop();
    events.add(o);
    bytes += o.weight;
  }

  /** Removes the oldest event (there is one) and frees its bytes. Called on the loop. */
  Outgoing poll() {
    assert loop.inLoop();
    Outgoing o = events.poll();
    bytes -= o.weight;
    return o;
  }

  /**
   * Events up to {@code last} were taken off with {@link #poll}: moves the checkpoint to it and
   * tells the pipeline there is room. Called on the loop.
   */
  void settledUpTo(long last) {
    assert loop.inLoop();
    onCommitted.accept(last);
    onSpace.run();
  }

  /** The oldest event, or null. */
  Outgoing peek() {
    return events.peek();
  }

  boolean isEmpty() {
    return events.isEmpty();
  }

  /** Events accepted and not yet settled. */
  int size() {
    return events.size();
  }

  /** The weight of {@link #size()} events. */
  long bytes() {
    return bytes;
  }

  /** Oldest first. */
  @Override
  public Iterator<Outgoing> iterator() {
    return events.iterator();
  }
}
