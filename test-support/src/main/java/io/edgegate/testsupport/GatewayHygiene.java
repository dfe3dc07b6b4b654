package io.edgegate.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class, or one of its tests, that leaves the gateway in a state a deployment would
 * not want. Registered on every integration test class with {@code @ExtendWith} (at class level, so
 * that its {@code afterAll} runs after the class's own {@code @AfterAll} methods, which stop the
 * gateways and brokers a class shares). It fails on:
 *
 * <ul>
 *   <li><b>a blocked event loop</b>: Vert.x's blocked-thread checker warned about an event loop
 *       thread (the test gateways warn at 1 s; Vert.x's default is 2 s).
 *   <li><b>leaked threads</b>: a thread whose name starts with {@value #GATEWAY_THREADS} (the
 *       gateway names all threads it starts so) still alive when the gateways are stopped, after a
 *       bounded wait of {@value #THREADS_END_SECONDS} s for it to end. A test that starts and stops
 *       its own gateways (no such thread alive when it begins) is checked after it; a class whose
 *       gateway outlives its tests is checked after its {@code @AfterAll}. Threads already alive
 *       when the class began (leaked by an earlier class, which failed for it) are left out.
 *   <li><b>unexpected warnings</b>: a WARN or ERROR line logged in this JVM, during the test or
 *       during the class's set-up and tear-down, that the test did not declare with {@link
 *       ExpectedLogs}. Only the gateway's loggers ({@code io.edgegate.*}) and those of Vert.x and
 *       Netty are watched: the embedded Kafka broker and Kafka's clients warn on their own in
 *       normal operation (leader elections, a consumer group's rebalance, a broker that is still
 *       starting). Gateways started as a child process ({@link GatewayProcess}, {@link
 *       Distribution}) log to files of their own, which the tests that care read; they are not
 *       checked here. The checker's own lines are left to the event-loop check above (a worker
 *       thread may block, that is what it is for).
 * </ul>
 *
 * Tests in one JVM run one at a time (no parallel execution is configured), so a line logged by any
 * thread while a test runs belongs to that test.
 */
public final class GatewayHygiene
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  public static final String GATEWAY_THREADS = "edgegate-";
  public static final long THREADS_END_SECONDS = 10;

  /** Configuration parameter: seconds to wait for gateway threads to end (the fixtures' check). */
  public static final String THREADS_END_KEY = "edgegate.hygiene.threadsEndSeconds";

  /** Vert.x's blocked-thread checker logs as {@code io.vertx.core.impl.BlockedThreadChecker}. */
  private static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";

  private static final List<String> WATCHED = List.of("io.edgegate.", "io.vertx.", "io.netty.");

  /** Lines every test may log. */
  private static final List<Pattern> ALWAYS_EXPECTED =
      Stream.of(
              // TestGateway.config accepts anonymous devices, and each gateway warns of it at
              // start.
              "^Anonymous MQTT devices are accepted")
          .map(Pattern::compile)
          .toList();

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(GatewayHygiene.class);

  /** What one class's run keeps between the callbacks. */
  private static final class ClassState {
    final Recorder recorder = new Recorder();
    final Set<Thread> before = gatewayThreads();
    final List<ILoggingEvent> outsideTests = new ArrayList<>();
    boolean testOwnsItsGateways;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    ClassState s = new ClassState();
    context.getStore(NS).put(ClassState.class, s);
    s.recorder.start();
    root().addAppender(s.recorder);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    ClassState s = state(context);
    s.outsideTests.addAll(s.recorder.drain());
    s.testOwnsItsGateways = started(s).isEmpty();
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    ClassState s = state(context);
    List<String> problems = new ArrayList<>();
    problems.addAll(logProblems(s.recorder.drain(), expected(context)));
    if (s.testOwnsItsGateways) {
      problems.addAll(leakedThreads(s, threadsEnd(context)));
    }
    fail(problems);
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    ClassState s = state(context);
    root().detachAppender(s.recorder);
    s.recorder.stop();
    s.outsideTests.addAll(s.recorder.drain());
    List<String> problems = new ArrayList<>();
    problems.addAll(logProblems(s.outsideTests, expected(context)));
    problems.addAll(leakedThreads(s, threadsEnd(context)));
    fail(problems);
  }

  /** The class's state; a test's store sees its class's values. */
  private static ClassState state(ExtensionContext context) {
    return context.getStore(NS).get(ClassState.class, ClassState.class);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static void fail(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("\n", problems));
    }
  }

  /** The allow-list of the test (its method's and its class's) or of the class. */
  private static List<Pattern> expected(ExtensionContext context) {
    List<Pattern> patterns = new ArrayList<>(ALWAYS_EXPECTED);
    patterns.addAll(declared(context.getRequiredTestClass()));
    context.getTestMethod().ifPresent(m -> patterns.addAll(declared(m)));
    return patterns;
  }

  private static List<Pattern> declared(AnnotatedElement e) {
    ExpectedLogs a = e.getAnnotation(ExpectedLogs.class);
    return a == null ? List.of() : Arrays.stream(a.value()).map(Pattern::compile).toList();
  }

  private static List<String> logProblems(List<ILoggingEvent> events, List<Pattern> expected) {
    // The checker's lines too may be declared: only a test of this check blocks a loop on purpose.
    List<String> problems = new ArrayList<>();
    List<String> blocked = new ArrayList<>();
    for (ILoggingEvent e : events) {
      String message = e.getFormattedMessage();
      if (expected.stream().anyMatch(p -> p.matcher(message).find())) {
        continue;
      }
      if (CHECKER.equals(e.getLoggerName())) {
        if (message.contains("vert.x-eventloop-thread")) {
          blocked.add(message + stack(e));
        }
      } else {
        problems.add(
            "unexpected "
                + e.getLevel()
                + " ["
                + e.getThreadName()
                + "] "
                + e.getLoggerName()
                + " - "
                + message
                + (e.getThrowableProxy() == null
                    ? ""
                    : " (" + e.getThrowableProxy().getClassName() + ")"));
      }
    }
    if (!blocked.isEmpty()) {
      problems.add(0, "event loops were blocked: " + blocked);
    } else if (!problems.isEmpty()) {
      problems.add(
          "(declare the lines a test provokes on purpose with @ExpectedLogs on its method or class)");
    }
    return problems;
  }

  /** The top of the stack a line carries, if any: where the checker found the loop blocked. */
  private static String stack(ILoggingEvent e) {
    if (e.getThrowableProxy() == null) {
      return "";
    }
    return Arrays.stream(e.getThrowableProxy().getStackTraceElementProxyArray())
        .limit(25)
        .map(f -> "\n      at " + f.getStackTraceElement())
        .collect(Collectors.joining());
  }

  /** Waits a bounded time for the gateway threads this class started to end; names the rest. */
  private static List<String> leakedThreads(ClassState s, long seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Set<Thread> alive;
    while (!(alive = started(s)).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50); // polling a condition with a deadline: thread ends have no event to await
    }
    if (alive.isEmpty()) {
      return List.of();
    }
    s.before.addAll(alive); // reported once, not again by the class's later checks
    Map<Thread, StackTraceElement[]> stacks = Thread.getAllStackTraces();
    return List.of(
        "gateway threads still alive "
            + seconds
            + " s after the gateways stopped:\n"
            + alive.stream()
                .map(
                    t ->
                        "  "
                            + t.getName()
                            + " ("
                            + t.getState()
                            + ")"
                            + Arrays.stream(stacks.getOrDefault(t, new StackTraceElement[0]))
                                .map(f -> "\n      at " + f)
                                .collect(Collectors.joining()))
                .collect(Collectors.joining("\n")));
  }

  private static long threadsEnd(ExtensionContext context) {
    return context
        .getConfigurationParameter(THREADS_END_KEY)
        .map(Long::parseLong)
        .orElse(THREADS_END_SECONDS);
  }

  private static Set<Thread> started(ClassState s) {
    Set<Thread> now = gatewayThreads();
    now.removeAll(s.before);
    return now;
  }

  private static Set<Thread> gatewayThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith(GATEWAY_THREADS)) {
        threads.add(t);
      }
    }
    return threads;
  }

  /** Keeps the WARN and ERROR lines of the watched loggers; appended to from any thread. */
  private static final class Recorder extends AppenderBase<ILoggingEvent> {
    private final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent e) {
      if (e.getLevel().isGreaterOrEqual(Level.WARN)
          && WATCHED.stream().anyMatch(w -> e.getLoggerName().startsWith(w))) {
        e.prepareForDeferredProcessing();
        events.add(e);
      }
    }

    List<ILoggingEvent> drain() {
      List<ILoggingEvent> out = new ArrayList<>();
      ILoggingEvent e;
      while ((e = events.poll()) != null) {
        out.add(e);
      }
      return out;
    }
  }
}
