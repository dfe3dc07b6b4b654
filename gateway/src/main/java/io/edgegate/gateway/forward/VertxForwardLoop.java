package io.edgegate.gateway.forward;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** A {@link ForwardLoop} on a Vert.x event-loop context: its tasks and timers run there. */
public final class VertxForwardLoop implements ForwardLoop {
  private final Context context;
  private final Vertx vertx;

  public VertxForwardLoop(Context context) {
    if (!context.isEventLoopContext()) {
      throw new IllegalArgumentException("a forward stage runs on an event loop, not " + context);
    }
    this.context = context;
    this.vertx = context.owner();
  }

  @Override
  public void execute(Runnable task) {
    context.runOnContext(v -> task.run());
  }

  @Override
  public boolean inLoop() {
    return Vertx.currentContext() == context && Context.isOnEventLoopThread();
  }

  @Override
  public long setTimer(long delayMillis, Runnable task) {
    assert inLoop(); // a timer set on the loop fires on it
    return vertx.setTimer(Math.max(1, delayMillis), id -> task.run());
  }

  @Override
  public long setPeriodic(long periodMillis, Runnable task) {
    assert inLoop();
    return vertx.setPeriodic(Math.max(1, periodMillis), id -> task.run());
  }

  @Override
  public void cancelTimer(long id) {
    vertx.cancelTimer(id);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }
}
