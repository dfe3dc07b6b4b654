package io.edgegate.benchmarks.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console viewer against a stand-in admin server: what it counts, and that it lets go. */
class ConsoleViewerTest {
  private HttpServer server;

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
          try (OutputStream out = x.getResponseBody()) {
            for (int i = 0; i < 600; i++) {
              out.write(
                  ("event: overview\ndata: {\"n\":" + i + "}\n\n")
                      .getBytes(StandardCharsets.UTF_8));
              out.flush();
              Thread.sleep(50); // the server's pace, not synchronisation
            }
          } catch (IOException | InterruptedException e) {
            // the viewer went away
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void countsTheStreamsEventsAndTheAnsweredPollsAndClosesPromptly() throws Exception {
    ConsoleViewer viewer = ConsoleViewer.open(this::uri);
    try {
      await(() -> viewer.events() >= 3 && viewer.polls() >= 2, Duration.ofSeconds(20));
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

  private static void await(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within %s", timeout).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
