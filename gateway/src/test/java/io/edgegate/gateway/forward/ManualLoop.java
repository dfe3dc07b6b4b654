package io.edgegate.gateway.forward;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.TreeMap;

/**
 * A {@link ForwardLoop} a test drives by hand: tasks run when the test calls {@link #runTasks},
 * timers when it moves the virtual time with {@link #advance}. Single-threaded: the test's thread.
 */
final class ManualLoop implements ForwardLoop {
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  // id -> timer; ids grow, so equal deadlines fire in the order they were set
  private final TreeMap<Long, Timer> timers = new TreeMap<>();
  private long nowNanos = 1_000_000_000L;
  private long nextId;
  private boolean running;

  private record Timer(long dueNanos, long periodNanos, Runnable task) {}

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
  }

  @Override
  public boolean inLoop() {
    return running;
  }

  /** Runs {@code action} as if on the loop (as the pipeline does when it offers events). */
  void onLoop(Runnable action) {
    boolean was = running;
    running = true;
    try {
      action.run();
    } finally {
      running = was;
    }
  }

  /** Runs every queued task, and those they queue, until none is left. */
  int runTasks() {
    int n = 0;
    while (!tasks.isEmpty()) {
      onLoop(tasks.poll());
      n++;
    }
    return n;
  }

  /** Moves time on by {@code millis}, firing the timers due on the way (and the tasks queued). */
  void advance(long millis) {
    long target = nowNanos + millis * 1_000_000L;
    runTasks();
    while (true) {
      Long id = null;
      Timer next = null;
      for (Iterator<java.util.Map.Entry<Long, Timer>> it = timers.entrySet().iterator();
          it.hasNext(); ) {
        var e = it.next();
        if (e.getValue().dueNanos <= target
            && (next == null || e.getValue().dueNanos < next.dueNanos)) {
          id = e.getKey();
          next = e.getValue();
        }
      }
      if (next == null) {
        break;
      }
      nowNanos = Math.max(nowNanos, next.dueNanos);
      if (next.periodNanos > 0) {
        timers.put(id, new Timer(next.dueNanos + next.periodNanos, next.periodNanos, next.task));
      } else {
        timers.remove(id);
      }
      onLoop(next.task);
      runTasks();
    }
    nowNanos = target;
  }

  /** One-shot timers pending. */
  long pendingTimers() {
    return timers.values().stream().filter(t -> t.periodNanos == 0).count();
  }

  /** Virtual epoch milliseconds, for a {@link java.time.Clock} that moves with this loop. */
  long millis() {
    return nowNanos / 1_000_000L;
  }

  @Override
  public long setTimer(long delayMillis, Runnable task) {
    assert running;
    long id = nextId++;
    timers.put(id, new Timer(nowNanos + Math.max(1, delayMillis) * 1_000_000L, 0, task));
    return id;
  }

  @Override
  public long setPeriodic(long periodMillis, Runnable task) {
    assert running;
    long id = nextId++;
    long period = Math.max(1, periodMillis) * 1_000_000L;
    timers.put(id, new Timer(nowNanos + period, period, task));
    return id;
  }

  @Override
  public void cancelTimer(long id) {
    timers.remove(id);
  }

  @Override
  public long nanoTime() {
    return nowNanos;
  }

  /** A clock reading this loop's virtual time. */
  java.time.Clock clock() {
    ManualLoop self = this;
    return new java.time.Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public java.time.Instant instant() {
        return java.time.Instant.ofEpochMilli(self.millis());
      }
    };
  }
}
