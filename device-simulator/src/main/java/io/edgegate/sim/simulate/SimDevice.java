package io.edgegate.sim.simulate;

import io.edgegate.sim.payload.PayloadSource;
import io.edgegate.sim.payload.Stamp;
import java.util.concurrent.CompletableFuture;

/**
 * One virtual device: its MQTT link, its {@link SendWindow}, and its payload generator.
 *
 * <p>Threads: {@link #trySend} runs only on the pacer thread, which alone assigns sequence numbers
 * and calls publish, so a device's messages leave in sequence order. Outcomes and connection events
 * arrive on the MQTT client's threads; connection commands come from the scheduler. The window, the
 * connection state and the rotation flag are guarded by this object's lock; {@link #payloads}
 * belongs to the pacer thread. The lock is never held while calling the MQTT client.
 */
final class SimDevice implements MqttLink.Events {
  enum State {
    OFFLINE,
    CONNECTING,
    CONNECTED,
    STOPPED
  }

  /** What one {@link #trySend} did. */
  enum Sent {
    /** Sent one; the device can send another now. */
    MORE,
    /** Sent one; its window is full or it is not connected now. */
    PAUSED,
    /** Sent one, the last of its count: the device is done. */
    LAST,
    /** Sent nothing: window full, not connected, or done. */
    NOTHING
  }

  final String id;
  private final RunContext run;
  private final PayloadSource payloads;
  private MqttLink link;

  // guarded by this
  private final SendWindow window;
  private State state = State.OFFLINE;
  private boolean inRotation;
  private long plannedDowntimeMillis = -1;

  SimDevice(String id, int inFlight, RunContext run, PayloadSource payloads) {
    this.id = id;
    this.run = run;
    this.payloads = payloads;
    this.window = new SendWindow(inFlight, (first, last) -> run.ackLog.range(id, first, last));
  }

  /** Set once, before {@link #connect}. */
  void link(MqttLink link) {
    this.link = link;
  }

  /** Scheduler thread: the first connection (ramp-up). */
  void connect() {
    synchronized (this) {
      if (state != State.OFFLINE || run.stopping()) {
        return;
      }
      state = State.CONNECTING;
    }
    // Failures are handled by disconnected(); the future completes when attempts are given up.
    link.connect().whenComplete((ok, e) -> {});
  }

  @Override
  public void connected() {
    boolean wake = false;
    boolean stop;
    synchronized (this) {
      state = State.CONNECTED;
      plannedDowntimeMillis = -1;
      stop = run.stopping();
      if (!stop && !inRotation && canSend()) {
        inRotation = true;
        wake = true;
      }
    }
    run.counters.connected.incrementAndGet();
    run.counters.connects.increment();
    if (stop) {
      link.disconnect(false).whenComplete((ok, e) -> {}); // a reconnect that raced the stop
    } else if (wake) {
      run.pacer.wake(this);
    }
  }

  @Override
  public long disconnected(boolean byUs, int failedAttempts, Throwable cause) {
    synchronized (this) {
      boolean wasConnected = state == State.CONNECTED;
      if (wasConnected) {
        run.counters.connected.decrementAndGet();
      }
      if (run.stopping() || (byUs && plannedDowntimeMillis < 0)) {
        state = State.STOPPED;
        return -1;
      }
      state = State.CONNECTING;
      if (byUs) {
        long downtime = plannedDowntimeMillis;
        plannedDowntimeMillis = -1;
        return downtime;
      }
      if (wasConnected) {
        run.counters.drops.increment();
      } else {
        run.counters.connectFailures.increment();
      }
      return Backoff.delayMillis(failedAttempts);
    }
  }

  /** Pacer thread only: publishes the next message if the device may. */
  Sent trySend() {
    long seq;
    synchronized (this) {
      if (state != State.CONNECTED || !window.hasRoom() || window.taken() >= run.countPerDevice) {
        inRotation = false;
        return Sent.NOTHING;
      }
      seq = window.take();
    }
    long sentAt = System.currentTimeMillis();
    Stamp stamp = new Stamp(run.runId, id, seq, sentAt);
    byte[] payload = payloads.next(stamp);
    run.counters.sent.increment();
    long started = System.nanoTime();
    CompletableFuture<Void> outcome;
    try {
      outcome = link.publish(stamp, payload);
    } catch (RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e); // e.g. client state: settle it as failed
    }
    outcome.whenComplete((ok, error) -> settle(seq, error == null, started));
    synchronized (this) {
      if (canSend()) {
        return Sent.MORE;
      }
      inRotation = false;
      return seq + 1 >= run.countPerDevice ? Sent.LAST : Sent.PAUSED;
    }
  }

  private void settle(long seq, boolean ok, long startedNanos) {
    boolean accepted;
    boolean wake = false;
    synchronized (this) {
      accepted = window.settle(seq, ok && run.qos > 0);
      if (accepted && !inRotation && canSend()) {
        inRotation = true;
        wake = true;
      }
    }
    RunCounters c = run.counters;
    if (!accepted) {
      c.late.increment();
    } else if (!ok) {
      c.failed.increment();
    } else if (run.qos == 0) {
      c.written.increment();
    } else {
      c.acknowledged.increment();
      c.recordAckLatency(System.nanoTime() - startedNanos);
    }
    if (wake) {
      run.pacer.wake(this);
    }
  }

  /** Scheduler thread: disconnect now and reconnect after {@code downtimeMillis} (churn). */
  boolean churn(long downtimeMillis, boolean withWill) {
    synchronized (this) {
      if (state != State.CONNECTED || run.stopping()) {
        return false;
      }
      plannedDowntimeMillis = downtimeMillis;
    }
    run.counters.churned.increment();
    link.disconnect(withWill).whenComplete((ok, e) -> {});
    return true;
  }

  synchronized boolean isConnected() {
    return state == State.CONNECTED;
  }

  /** Publishes without an outcome yet. */
  synchronized int pending() {
    return window.pending();
  }

  /** Once {@link RunContext#stopping}: sends DISCONNECT (a device not connected ignores it). */
  CompletableFuture<Void> disconnect() {
    return link.disconnect(false).handle((ok, e) -> null);
  }

  /** After the last outcome the run waits for: closes the window (writes the last ack range). */
  synchronized void finish() {
    window.close();
  }

  private boolean canSend() {
    return state == State.CONNECTED && window.hasRoom() && window.taken() < run.countPerDevice;
  }
}
