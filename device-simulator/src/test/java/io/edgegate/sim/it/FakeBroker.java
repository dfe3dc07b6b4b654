package io.edgegate.sim.it;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A bare MQTT broker on vertx-mqtt (TLS with a self-signed certificate, or plain) that accepts
 * everything, acknowledges every publish, and records what the devices sent: for checking what the
 * simulator puts on the wire (credentials, will, properties, disconnect reasons) where the gateway
 * cannot show it. Thread-safe records.
 */
final class FakeBroker implements AutoCloseable {
  record Connection(
      String clientId,
      int protocolVersion,
      boolean tls,
      String username,
      String password,
      String willTopic,
      String willPayload) {}

  final List<Connection> connections = new CopyOnWriteArrayList<>();
  final List<MqttPublishMessage> publishes = new CopyOnWriteArrayList<>();
  final List<MqttDisconnectReasonCode> disconnectReasons = new CopyOnWriteArrayList<>();
  final SelfSignedCertificate certificate;
  private final Vertx vertx;
  private final MqttServer server;

  private FakeBroker(boolean tls) throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    certificate = SelfSignedCertificate.create("localhost");
    MqttServerOptions options = new MqttServerOptions().setHost("127.0.0.1").setPort(0);
    if (tls) {
      options.setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
    }
    server = MqttServer.create(vertx, options);
    server.endpointHandler(this::accept);
    server.listen().await(30, TimeUnit.SECONDS);
  }

  static FakeBroker tls() throws Exception {
    return new FakeBroker(true);
  }

  static FakeBroker plain() throws Exception {
    return new FakeBroker(false);
  }

  int port() {
    return server.actualPort();
  }

  private void accept(MqttEndpoint e) {
    boolean will = e.will() != null && e.will().isWillFlag();
    connections.add(
        new Connection(
            e.clientIdentifier(),
            e.protocolVersion(),
            e.isSsl(),
            e.auth() == null ? null : e.auth().getUsername(),
            e.auth() == null ? null : e.auth().getPassword(),
            will ? e.will().getWillTopic() : null,
            will ? new String(e.will().getWillMessageBytes()) : null));
    e.publishAutoAck(false);
    e.publishHandler(
        m -> {
          publishes.add(m);
          switch (m.qosLevel()) {
            case AT_LEAST_ONCE -> e.publishAcknowledge(m.messageId());
            case EXACTLY_ONCE -> e.publishReceived(m.messageId());
            default -> {}
          }
        });
    e.publishReleaseHandler(e::publishComplete);
    e.disconnectMessageHandler(m -> disconnectReasons.add(m.code()));
    e.accept(false);
  }

  @Override
  public void close() throws Exception {
    server.close().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
