package io.edgegate.benchmarks.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What an open console page asks of the gateway's admin server: {@code GET /api/stream} held open
 * (Server-Sent Events, an overview a second) and {@code GET /api/overview} polled every second.
 * Threads: the stream is read on one thread of its own, the polls run on one scheduler thread; the
 * counters are atomic, read by the runner's thread; {@link #close} from the runner's thread.
 */
final class ConsoleViewer implements AutoCloseable {
  static final String OVERVIEW = "/api/overview";
  static final String STREAM = "/api/stream";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Function<String, URI> admin;
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong failedPolls = new AtomicLong();
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "console-poll"));
  private final Thread reader;
  private volatile InputStream stream;
  private volatile boolean closed;

  private ConsoleViewer(Function<String, URI> admin) {
    this.admin = admin;
    this.reader = daemon(this::readStream, "console-stream");
  }

  /**
   * Opens the stream and starts polling, as the page does when it loads; {@code admin} gives the
   * URI of a path on the admin server (e.g. {@link GatewayChild#admin}).
   */
  static ConsoleViewer open(Function<String, URI> admin) {
    ConsoleViewer v = new ConsoleViewer(admin);
    v.reader.start();
    v.poller.scheduleAtFixedRate(v::poll, 0, 1, TimeUnit.SECONDS);
    return v;
  }

  /** The status of one {@code GET path} on the admin server; -1 when it does not answer. */
  static int status(URI uri) throws InterruptedException {
    try {
      return HTTP.send(get(uri), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Server-Sent Events received so far (each ended by its blank line). */
  long events() {
    return events.get();
  }

  /** Overview polls answered 200. */
  long polls() {
    return polls.get();
  }

  /** Overview polls answered otherwise, or not at all. */
  long failedPolls() {
    return failedPolls.get();
  }

  private void poll() {
    try {
      int s =
          HTTP.send(get(admin.apply(OVERVIEW)), HttpResponse.BodyHandlers.ofByteArray())
              .statusCode();
      (s == 200 ? polls : failedPolls).incrementAndGet();
    } catch (IOException e) {
      failedPolls.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readStream() {
    try {
      HttpResponse<InputStream> response =
          HTTP.send(
              HttpRequest.newBuilder(admin.apply(STREAM))
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      stream = response.body();
      if (closed) {
        stream.close();
        return;
      }
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
      boolean data = false;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isEmpty()) {
          if (data) {
            events.incrementAndGet();
          }
          data = false;
        } else if (line.startsWith("data:")) {
          data = true;
        }
      }
    } catch (IOException e) {
      // closed by close(), or the gateway ended the stream: the count so far stands
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    poller.shutdownNow();
    poller.awaitTermination(10, TimeUnit.SECONDS);
    InputStream s = stream;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }
    reader.interrupt();
    reader.join(10_000);
  }

  private static HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
