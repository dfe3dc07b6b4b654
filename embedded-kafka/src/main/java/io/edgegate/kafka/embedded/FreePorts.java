package io.edgegate.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Ports that are free now, for brokers, gateways and tests that run beside other builds on the same
 * machine (never a fixed port). Another process may still take one before it is bound. A port
 * handed out is not handed out again in this JVM: a broker picks several before it binds any, a
 * test picks the port of a broker it starts later, and the OS may return an unbound port twice.
 */
public final class FreePorts {
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /** A free port on the loopback address. */
  public static int one() {
    return on(InetAddress.getLoopbackAddress(), new int[0]);
  }

  /**
   * A free port on {@code host} other than {@code taken}: ports of the caller's that are not bound
   * now (a broker's client port while it is down) and that it did not get from here.
   */
  public static int on(String host, int... taken) {
    try {
      return on(InetAddress.getByName(host), taken);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + host, e);
    }
  }

  private static int on(InetAddress address, int... taken) {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, address)) {
        s.setReuseAddress(true);
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port on " + address, e);
      }
      if (IntStream.of(taken).noneMatch(t -> t == port) && HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "no free port on "
            + address
            + " that was not handed out already, nor one of "
            + Arrays.toString(taken));
  }
}
