package io.edgegate.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.stream.IntStream;

/** Finds a port that is free now; another process may still take it before the broker binds. */
final class FreePort {

  private FreePort() {}

  /**
   * A free port on {@code host} other than {@code taken}: ports chosen earlier for the same broker
   * are not bound yet, so the OS may return one of them again.
   */
  static int on(String host, int... taken) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port on " + host, e);
      }
      if (IntStream.of(taken).noneMatch(t -> t == port)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "no free port on " + host + " other than " + Arrays.toString(taken));
  }
}
