package io.edgegate.gateway.ingest.limits;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrafficShapingOptions;
import java.time.Duration;

/** The TCP server inside a {@code vertx-mqtt} server, with {@link ListenerGuard} at the accept. */
final class GuardedNetServer implements NetServer {
  private final NetServer delegate;
  private final ListenerGuard guard;

  GuardedNetServer(NetServer delegate, ListenerGuard guard) {
    this.delegate = delegate;
    this.guard = guard;
  }

  @Override
  public NetServer connectHandler(Handler<NetSocket> handler) {
    delegate.connectHandler(handler == null ? null : guard.wrap(handler));
    return this;
  }

  @Override
  public Handler<NetSocket> connectHandler() {
    return delegate.connectHandler();
  }

  @Override
  public Future<NetServer> listen() {
    return delegate.listen().map(this);
  }

  @Override
  public Future<NetServer> listen(int port, String host) {
    return delegate.listen(port, host).map(this);
  }

  @Override
  public Future<NetServer> listen(int port) {
    return delegate.listen(port).map(this);
  }

  @Override
  public Future<NetServer> listen(SocketAddress localAddress) {
    return delegate.listen(localAddress).map(this);
  }

  @Override
  public NetServer exceptionHandler(Handler<Throwable> handler) {
    delegate.exceptionHandler(handler);
    return this;
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  @Override
  public Future<Void> shutdown() {
    return delegate.shutdown();
  }

  @Override
  public Future<Void> shutdown(Duration timeout) {
    return delegate.shutdown(timeout);
  }

  @Override
  public int actualPort() {
    return delegate.actualPort();
  }

  @Override
  public Future<Boolean> updateSSLOptions(ServerSSLOptions options, boolean force) {
    return delegate.updateSSLOptions(options, force);
  }

  @Override
  public Future<Boolean> updateTrafficShapingOptions(TrafficShapingOptions options) {
    return delegate.updateTrafficShapingOptions(options);
  }

  @Override
  public boolean isMetricsEnabled() {
    return delegate.isMetricsEnabled();
  }
}
