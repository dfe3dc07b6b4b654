package io.edgegate.gateway.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM or SIGINT stops the gateway cleanly; a second one exits at once.
 *
 * <p>Why {@code sun.misc.Signal} (module {@code jdk.unsupported}, exported for this purpose) rather
 * than a shutdown hook alone: once the JVM runs its shutdown hooks it swallows further SIGTERMs
 * ({@code Runtime.exit} blocks), so an operator who asks again, Ctrl-C twice or {@code kill} after
 * {@code systemctl stop}, could not end a stop that waits for Kafka. A timer in the hook would only
 * guess when to give up. So TERM and INT get handlers of ours: the first one releases {@link
 * #awaitRequest}, the caller stops the gateway and returns its exit code; the second one halts with
 * 128 + the signal number, as a shell reports a death by that signal. A shutdown hook still stops
 * the gateway cleanly on every other way out (SIGHUP, {@code System.exit} elsewhere).
 */
final class Shutdown {
  private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

  private final CountDownLatch requested = new CountDownLatch(1);
  private final AtomicInteger signals = new AtomicInteger();
  private final Object stopLock = new Object();
  private Boolean stopResult; // guarded by stopLock: null until stopped

  /** Installs the signal handlers; call before starting, so a signal during start-up counts. */
  static Shutdown install() {
    Shutdown s = new Shutdown();
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(name), s::onSignal);
      } catch (IllegalArgumentException e) {
        // e.g. INT ignored by a non-interactive parent shell: the JVM's default (hooks) applies
        log.debug("SIG{} cannot be handled here: {}", name, e.getMessage());
      }
    }
    return s;
  }

  private void onSignal(Signal signal) {
    if (signals.incrementAndGet() == 1) {
      log.info("Stopping EdgeGate (SIG{}); send it again to exit at once", signal.getName());
      requested.countDown();
    } else {
      log.warn("Second SIG{}: exiting now, without a clean stop", signal.getName());
      Runtime.getRuntime().halt(128 + signal.getNumber());
    }
  }

  /**
   * Adds a shutdown hook that runs {@code stop} (unless it ran already) when the JVM exits for any
   * other reason than our signals.
   */
  void onExit(BooleanSupplier stop) {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stopOnce(stop), "edgegate-shutdown-hook"));
  }

  /** Blocks until the first SIGTERM or SIGINT. */
  void awaitRequest() throws InterruptedException {
    requested.await();
  }

  /** True once a stop was asked for. */
  boolean requested() {
    return requested.getCount() == 0;
  }

  /**
   * Runs {@code stop} once, whoever asks first (the main thread after a signal, or the hook); a
   * second caller waits for the first one's result. Returns whether the stop was clean.
   */
  boolean stopOnce(BooleanSupplier stop) {
    synchronized (stopLock) {
      if (stopResult == null) {
        stopResult = stop.getAsBoolean();
      }
      return stopResult;
    }
  }

  /** Generous bound for a whole stop: the producer's flush plus the journal and listeners. */
  static Duration stopTimeout(Duration closeTimeout) {
    return closeTimeout.plusSeconds(30);
  }
}
