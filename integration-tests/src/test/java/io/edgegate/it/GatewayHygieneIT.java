package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.slf4j.LoggerFactory;

/**
 * {@link GatewayHygiene} fails what it should and passes the rest: each fixture below is run
 * through the JUnit engine and its outcome checked. The fixtures run only from here (the system
 * property), not on their own; the threads they leave are ended after each test.
 */
@ExtendWith(GatewayHygiene.class)
class GatewayHygieneIT {
  private static final String FIXTURES = "edgegate.hygiene.fixtures";

  /** Ends the threads the leaking fixtures leave behind, once their outcome is known. */
  private static CountDownLatch release = new CountDownLatch(1);

  private static final List<Thread> LEAKED = new CopyOnWriteArrayList<>();

  @AfterEach
  void endLeakedThreads() throws InterruptedException {
    release.countDown();
    for (Thread t : LEAKED) {
      t.join();
    }
    LEAKED.clear();
    release = new CountDownLatch(1);
  }

  private static EngineExecutionResults run(Class<?> fixture) {
    System.setProperty(FIXTURES, "true");
    try {
      return EngineTestKit.engine("junit-jupiter")
          .configurationParameter(GatewayHygiene.THREADS_END_KEY, "1")
          .selectors(selectClass(fixture))
          .execute();
    } finally {
      System.clearProperty(FIXTURES);
    }
  }

  private static String testFailure(EngineExecutionResults r) {
    assertThat(r.testEvents().failed().count()).as("failed tests").isEqualTo(1);
    return failure(r.testEvents().failed().stream().findFirst().orElseThrow());
  }

  private static String failure(Event e) {
    return e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .orElseThrow()
        .getThrowable()
        .orElseThrow()
        .getMessage();
  }

  private static void leak(String name) {
    CountDownLatch latch = release;
    Thread t = new Thread(() -> awaitQuietly(latch), name);
    t.setDaemon(true);
    LEAKED.add(t);
    t.start();
  }

  // The fixtures' lines reach this class's check as well: each test declares them.

  @Test
  @ExpectedLogs("^disk full$")
  void anUnexpectedGatewayWarningFailsTheTest() {
    assertThat(testFailure(run(UnexpectedWarning.class)))
        .contains("unexpected WARN")
        .contains("io.edgegate.gateway.journal.Fixture - disk full");
  }

  @Test
  @ExpectedLogs({"^disk full$", "^Kafka down$"})
  void aDeclaredWarningAndAKafkaWarningPass() {
    EngineExecutionResults r = run(ExpectedWarnings.class);
    r.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    r.containerEvents().assertStatistics(s -> s.failed(0));
  }

  @Test
  void aThreadLeftByATestFailsIt() {
    assertThat(testFailure(run(LeakingTest.class)))
        .contains("gateway threads still alive")
        .contains("edgegate-x (WAITING)")
        .contains("CountDownLatch.await");
  }

  @Test
  void aThreadLeftByTheClassFailsTheClassAfterItsAfterAll() {
    EngineExecutionResults leaking = run(LeakingClass.class);
    leaking.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    Event classFailed =
        leaking.containerEvents().failed().stream()
            .filter(e -> e.getTestDescriptor().getDisplayName().endsWith("LeakingClass"))
            .findFirst()
            .orElseThrow();
    assertThat(failure(classFailed)).contains("edgegate-class-x");

    EngineExecutionResults stopped = run(ClassStopsItsThread.class);
    stopped.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    stopped.containerEvents().assertStatistics(s -> s.failed(0));
  }

  @Test
  @ExpectedLogs("vert.x-eventloop-thread-\\d+.* has been blocked")
  void aBlockedEventLoopFailsTheTest() {
    assertThat(testFailure(run(BlockedEventLoop.class)))
        .contains("event loops were blocked")
        .contains("vert.x-eventloop-thread");
  }

  @ExtendWith(GatewayHygiene.class)
  @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
  static class UnexpectedWarning {
    @Test
    void warns() {
      LoggerFactory.getLogger("io.edgegate.gateway.journal.Fixture").warn("disk full");
    }
  }

  @ExtendWith(GatewayHygiene.class)
  @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
  @ExpectedLogs("^disk full$")
  static class ExpectedWarnings {
    @Test
    void warnsAsDeclaredOnTheClass() {
      LoggerFactory.getLogger("io.edgegate.gateway.journal.Fixture").warn("disk full");
    }

    @Test
    @ExpectedLogs("^Kafka down")
    void warnsAsDeclaredOnTheMethodAndKafkaWarnsToo() {
      LoggerFactory.getLogger("io.edgegate.gateway.forward.Fixture").error("Kafka down");
      LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").warn("not watched");
    }
  }

  @ExtendWith(GatewayHygiene.class)
  @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
  static class LeakingTest {
    @Test
    void leaves() {
      leak("edgegate-x");
    }
  }

  @ExtendWith(GatewayHygiene.class)
  @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
  static class LeakingClass {
    @BeforeAll
    static void start() {
      leak("edgegate-class-x");
    }

    @Test
    void runsBesideTheClassThread() {}
  }

  @ExtendWith(GatewayHygiene.class)
  @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
  static class ClassStopsItsThread {
    static Thread thread;
    static final CountDownLatch STOP = new CountDownLatch(1);

    @BeforeAll
    static void start() {
      thread = new Thread(() -> awaitQuietly(STOP), "edgegate-class-y");
      thread.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
      STOP.countDown();
      thread.join();
    }

    @Test
    void runsBesideTheClassThread() {
      assertThat(thread.isAlive()).isTrue();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @ExtendWith(GatewayHygiene.class)
  @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
  static class BlockedEventLoop {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setBlockedThreadCheckInterval(50)
                .setMaxEventLoopExecuteTime(TimeUnit.MILLISECONDS.toNanos(50)));

    @AfterEach
    void close() {
      vertx.close().await();
    }

    @Test
    void blocks() throws Exception {
      CountDownLatch done = new CountDownLatch(1);
      vertx.runOnContext(
          v -> {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < end) {
              Thread.onSpinWait(); // what the check is for: an event loop kept busy
            }
            done.countDown();
          });
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
