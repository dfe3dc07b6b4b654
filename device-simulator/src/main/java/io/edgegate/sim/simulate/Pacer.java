package io.edgegate.sim.simulate;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Decides how many messages go out and which devices send them. Runs on its own thread: the only
 * thread that calls {@link SimDevice#trySend}, so sequence numbers and publishes stay in order per
 * device, and thousands of devices need no thread each.
 *
 * <p>Every {@link #TICK_NANOS} it grants the credit the {@link RateSchedule} allows and hands it
 * out round-robin over the devices that can send (connected, room in the window, count not
 * reached). Devices that cannot send leave the rotation; they come back through {@link #wake} when
 * an outcome frees their window or they connect. Memory: each device is in the rotation at most
 * once.
 */
final class Pacer implements Runnable {
  static final long TICK_NANOS = 1_000_000;

  enum StopReason {
    DURATION("duration reached"),
    COUNT("every device sent its count"),
    REQUESTED("stopped");

    final String text;

    StopReason(String text) {
      this.text = text;
    }
  }

  private final RateSchedule schedule;
  private final RunCounters counters;
  private final BurstLog bursts;
  private final long durationNanos;
  private final int devices;
  private final boolean counted;
  private final Credit credit = new Credit();
  private final ArrayDeque<SimDevice> rotation = new ArrayDeque<>(); // pacer thread only
  private final ConcurrentLinkedQueue<SimDevice> woken = new ConcurrentLinkedQueue<>();
  private volatile Thread thread;
  private volatile boolean idle;
  private volatile boolean stopRequested;
  private volatile long startNanos;
  private volatile StopReason stopReason;
  private int done; // pacer thread only

  /**
   * @param durationNanos {@link Long#MAX_VALUE} for no limit
   * @param counted devices have a message count: stop once all sent theirs
   */
  Pacer(
      RateSchedule schedule,
      RunCounters counters,
      BurstLog bursts,
      long durationNanos,
      int devices,
      boolean counted) {
    this.schedule = schedule;
    this.counters = counters;
    this.bursts = bursts;
    this.durationNanos = durationNanos;
    this.devices = devices;
    this.counted = counted;
  }

  /** Any thread: the device can send again. The caller ensures it is not in the rotation. */
  void wake(SimDevice device) {
    woken.offer(device);
    Thread t = thread;
    if (idle && t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Any thread: stop sending at the next tick. */
  void requestStop() {
    stopRequested = true;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Starts the clock of the run ({@code elapsed} = 0 now); call before devices connect. */
  void markStart(long nanos) {
    startNanos = nanos;
  }

  long startNanos() {
    return startNanos;
  }

  /** Null while running. */
  StopReason stopReason() {
    return stopReason;
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    long last = System.nanoTime();
    while (true) {
      long now = System.nanoTime();
      long elapsed = now - startNanos;
      if (stopRequested) {
        stopReason = StopReason.REQUESTED;
        break;
      }
      if (elapsed >= durationNanos) {
        stopReason = StopReason.DURATION;
        break;
      }
      for (SimDevice d; (d = woken.poll()) != null; ) {
        rotation.addLast(d);
      }
      double rate = schedule.rate(elapsed, counters.connected.get());
      long budget = credit.grant(now, rate);
      long sent = 0;
      while (sent < budget) {
        SimDevice d = rotation.pollFirst();
        if (d == null) {
          break;
        }
        switch (d.trySend()) {
          case MORE -> {
            sent++;
            rotation.addLast(d);
          }
          case PAUSED -> sent++;
          case LAST -> {
            sent++;
            done++;
          }
          case NOTHING -> {}
        }
      }
      credit.spend(sent);
      bursts.tick(elapsed, now - last, rate, sent);
      last = now;
      if (counted && done == devices) {
        stopReason = StopReason.COUNT;
        break;
      }
      idle = rotation.isEmpty();
      if (!idle || woken.isEmpty()) {
        // A wake() after `idle` was set unparks us; one before it is seen by the isEmpty check.
        long wait = TICK_NANOS - (System.nanoTime() - now);
        if (wait > 0) {
          LockSupport.parkNanos(this, wait);
        }
      }
      idle = false;
    }
  }
}
