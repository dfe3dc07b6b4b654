package io.edgegate.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test during which Vert.x's blocked-thread checker warned: an event loop was blocked. The
 * test gateways run the checker at 500 ms (Vert.x's default is 2 s).
 */
final class NoBlockedEventLoops implements BeforeEachCallback, AfterEachCallback {
  private static final String CHECKER = "io.vertx.core.internal.threadchecker.BlockedThreadChecker";
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @Override
  public void beforeEach(ExtensionContext context) {
    appender.list.clear();
    appender.start();
    ((Logger) LoggerFactory.getLogger(CHECKER)).addAppender(appender);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ((Logger) LoggerFactory.getLogger(CHECKER)).detachAppender(appender);
    List<String> blocked =
        appender.list.stream()
            .filter(e -> e.getThreadName() != null)
            .map(ILoggingEvent::getFormattedMessage)
            .filter(m -> m.contains("vert.x-eventloop-thread"))
            .toList();
    if (!blocked.isEmpty()) {
      throw new AssertionError("event loops were blocked: " + blocked);
    }
  }
}
