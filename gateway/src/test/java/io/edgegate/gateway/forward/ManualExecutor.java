package io.edgegate.gateway.forward;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** The sender "thread" of a unit test: its tasks run, in order, when the test says. */
final class ManualExecutor implements Executor {
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
  }

  /** Tasks handed over and not yet run. */
  int queued() {
    return tasks.size();
  }

  /** Runs what is queued (and what that queues). */
  int runAll() {
    int n = 0;
    while (!tasks.isEmpty()) {
      tasks.poll().run();
      n++;
    }
    return n;
  }
}
