package io.edgegate.gateway.thread;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;

/**
 * Checks of the threading rules written on the types, meant for {@code assert} (so they cost
 * nothing without {@code -ea}; tests run with it): {@code assert Confinement.onContext(context);}
 * in a method confined to an event loop, {@code assert Confinement.onThread(writer);} in one
 * confined to a dedicated thread. As Vert.x core does with {@code assert context.inThread()}.
 *
 * <p>A class that holds neither its context nor its thread (it is handed to one at run time) keeps
 * an {@link Owner}: the first thread that runs a checked method owns it from then on. An event loop
 * context always runs on the same thread, so this is the same rule.
 */
public final class Confinement {
  private Confinement() {}

  /** True on {@code context}'s thread (an event loop context runs on exactly one). */
  public static boolean onContext(Context context) {
    if (context == null) {
      throw new AssertionError("confined to a Vert.x context, but none was captured");
    }
    if (!((ContextInternal) context).inThread()) {
      throw new AssertionError(
          "confined to " + context + ", called on " + Thread.currentThread().getName());
    }
    return true;
  }

  /**
   * True on any Vert.x event loop thread (a method its caller's own loop runs, whichever it is).
   */
  public static boolean onEventLoop() {
    if (!Context.isOnEventLoopThread()) {
      throw new AssertionError(
          "confined to an event loop, called on " + Thread.currentThread().getName());
    }
    return true;
  }

  /** True on {@code owner}. */
  public static boolean onThread(Thread owner) {
    Thread current = Thread.currentThread();
    if (current != owner) {
      throw new AssertionError(
          "confined to " + owner.getName() + ", called on " + current.getName());
    }
    return true;
  }

  /**
   * A new owner, bound to the first thread that checks it. Without {@code -ea} nothing checks it,
   * so every caller shares one (a connection's parts would otherwise carry an object each).
   */
  public static Owner firstCaller() {
    return CHECKED ? new Owner() : UNCHECKED;
  }

  private static final boolean CHECKED = assertionsEnabled();
  private static final Owner UNCHECKED = new Owner();

  @SuppressWarnings({"AssertWithSideEffects", "ConstantConditions"})
  private static boolean assertionsEnabled() {
    boolean on = false;
    assert on = true; // runs only with -ea for this package
    return on;
  }

  /** The thread a confined object belongs to: the first that checked it. */
  public static final class Owner {
    // Written once by the first checker; a later checker on another thread may see null only if
    // the object was shared without a happens-before edge, which is itself the bug to report.
    private volatile Thread thread;

    private Owner() {}

    /** True if the current thread owns this (binding it, on the first check). */
    public boolean check() {
      Thread current = Thread.currentThread();
      Thread t = thread;
      if (t == null) {
        thread = current;
        return true;
      }
      if (t != current) {
        throw new AssertionError("confined to " + t.getName() + ", called on " + current.getName());
      }
      return true;
    }

    /**
     * Hands the object over: the next thread that checks it owns it (a stage that builds on one
     * thread and then runs on another).
     */
    public void release() {
      thread = null;
    }
  }
}
