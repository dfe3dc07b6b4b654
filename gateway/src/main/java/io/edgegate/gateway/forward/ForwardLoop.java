package io.edgegate.gateway.forward;

import java.util.concurrent.Executor;

/**
 * The single thread a forward state machine is confined to, with its timers and its monotonic
 * clock. In the gateway it is the pipeline verticle's event loop ({@link VertxForwardLoop}); a unit
 * test drives one by hand, so timeouts and retries are deterministic without Vert.x timers.
 */
public interface ForwardLoop extends Executor {
  /** Runs {@code task} on the loop, after what is already queued. Any thread. */
  @Override
  void execute(Runnable task);

  /** Whether the calling thread is the loop's, running one of its tasks. */
  boolean inLoop();

  /** Runs {@code task} on the loop once after {@code delayMillis}; the id cancels it. Loop only. */
  long setTimer(long delayMillis, Runnable task);

  /** Runs {@code task} on the loop every {@code periodMillis}; the id cancels it. Loop only. */
  long setPeriodic(long periodMillis, Runnable task);

  /** Cancels a timer; an unknown or fired id is ignored. Loop only. */
  void cancelTimer(long id);

  /** Monotonic time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();
}
