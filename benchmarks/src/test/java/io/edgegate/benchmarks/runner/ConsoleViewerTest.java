package io.edgegate.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console viewer against a stand-in admin server: what it counts, and that it lets go. */
class ConsoleViewerTest {
  private HttpServer server;
  // Writes the stream's events at the server's pace, one every 50 ms.
  private final ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        ConsoleViewer.OVERVIEW,
        x -> {
          byte[] body = "{\"connected\":0}\n".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    server.createContext(
        ConsoleViewer.STREAM,
        x -> {
          x.getResponseHeaders().add("Content-Type", "text/event-stream");
          x.sendResponseHeaders(200, 0);
          pace.execute(new Events(x));
        });
    server.start();
  }

  @AfterEach
  void stop() {
    pace.shutdownNow();
    server.stop(0);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void countsTheStreamsEventsAndTheAnsweredPollsAndClosesPromptly() throws Exception {
    ConsoleViewer viewer = ConsoleViewer.open(this::uri);
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> viewer.events() >= 3 && viewer.polls() >= 2);
      assertThat(viewer.failedPolls()).isZero();
    } finally {
      long t0 = System.nanoTime();
      viewer.close();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aMissingEndpointIsA404() throws Exception {
    assertThat(ConsoleViewer.status(uri("/api/nothing"))).isEqualTo(404);
    assertThat(ConsoleViewer.status(uri(ConsoleViewer.OVERVIEW))).isEqualTo(200);
  }

  /** 600 overview events on one stream, one every 50 ms; each write schedules the next. */
  private final class Events implements Runnable {
    private final HttpExchange exchange;
    private int sent;

    Events(HttpExchange exchange) {
      this.exchange = exchange;
    }

    @Override
    public void run() {
      try {
        exchange
            .getResponseBody()
            .write(
                ("event: overview\ndata: {\"n\":" + sent + "}\n\n")
                    .getBytes(StandardCharsets.UTF_8));
        exchange.getResponseBody().flush();
        if (++sent < 600) {
          pace.schedule(this, 50, TimeUnit.MILLISECONDS);
          return;
        }
      } catch (IOException e) {
        // the viewer went away
      } catch (RejectedExecutionException e) {
        // the test is over
      }
      exchange.close();
    }
  }
}
