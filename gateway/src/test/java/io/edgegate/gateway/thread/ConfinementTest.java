package io.edgegate.gateway.thread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ConfinementTest {
  @Test
  void testsRunWithAssertionsEnabled() {
    boolean enabled = false;
    assert enabled = true;
    assertThat(enabled).as("-ea: the threading asserts are live in tests").isTrue();
  }

  @Test
  void aCallOffTheOwningThreadFails() throws Exception {
    Thread main = Thread.currentThread();
    assertThat(Confinement.onThread(main)).isTrue();
    Throwable off = onOtherThread(() -> Confinement.onThread(main));
    assertThat(off)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("confined to " + main.getName());
  }

  @Test
  void theFirstCallerOwnsAndAReleaseHandsOver() throws Exception {
    Confinement.Owner owner = Confinement.firstCaller();
    assertThat(owner.check()).isTrue();
    assertThat(onOtherThread(owner::check)).isInstanceOf(AssertionError.class);
    owner.release();
    assertThat(onOtherThread(owner::check)).isNull();
    assertThatThrownBy(owner::check).isInstanceOf(AssertionError.class);
  }

  @Test
  void aCallOffTheEventLoopFails() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Context context = vertx.getOrCreateContext();
      CompletableFuture<Boolean> on = new CompletableFuture<>();
      context.runOnContext(v -> on.complete(Confinement.onContext(context)));
      assertThat(on.get(10, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> Confinement.onContext(context))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("called on " + Thread.currentThread().getName());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Runs {@code check} on a new thread; what it threw, or null. */
  private static Throwable onOtherThread(Runnable check) throws Exception {
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                check.run();
                thrown.complete(null);
              } catch (Throwable e) {
                thrown.complete(e);
              }
            });
    t.start();
    return thrown.get(10, TimeUnit.SECONDS);
  }
}
