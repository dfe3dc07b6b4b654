package io.edgegate.benchmarks.runner;

import io.edgegate.kafka.embedded.FreePorts;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Mosquitto, the "just an MQTT broker" reference: started with a generated configuration on a free
 * port of 127.0.0.1, persistence off. Called from the runner's thread.
 */
final class MosquittoChild implements AutoCloseable {
  private final Child child;
  final int port;

  /** Wall seconds from process start until it accepted a TCP connection. */
  final double startToReadySeconds;

  private MosquittoChild(Child child, int port, double startToReady) {
    this.child = child;
    this.port = port;
    this.startToReadySeconds = startToReady;
  }

  /** The {@code mosquitto} executable: on the PATH, or where Debian puts it (/usr/sbin). */
  static Optional<Path> find() {
    return find("mosquitto");
  }

  /** Its subscriber client, {@code mosquitto_sub} (Debian: package mosquitto-clients). */
  static Optional<Path> findSub() {
    return find("mosquitto_sub");
  }

  private static Optional<Path> find(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin"));
    return dirs.stream()
        .filter(d -> !d.isBlank())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  static MosquittoChild start(Bench bench, Path executable, String name) throws IOException {
    int port = FreePorts.one();
    Path config = bench.work.resolve(name + ".conf");
    Files.writeString(
        config,
        """
        listener %d 127.0.0.1
        allow_anonymous true
        persistence false
        max_connections -1
        log_dest stderr
        log_type error
        log_type warning
        """
            .formatted(port));
    config.toFile().setReadable(true, false);
    Child child =
        Child.start(name, List.of(executable.toString(), "-c", config.toString()), bench.logDir);
    long ready;
    try {
      ready = child.await("listening on " + port, Duration.ofSeconds(20), () -> listening(port));
    } catch (RuntimeException e) {
      child.close();
      throw e;
    }
    return new MosquittoChild(child, port, (ready - child.startedNanos) / 1e9);
  }

  long pid() {
    return child.pid();
  }

  double cpuSeconds() {
    return ProcessProbe.cpuSeconds(child.pid());
  }

  long rssBytes() {
    return ProcessProbe.rssBytes(child.pid());
  }

  @Override
  public void close() {
    child.close();
  }

  /** True when something accepts TCP connections on 127.0.0.1:{@code port}. */
  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
