package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.MqttTlsConfig;
import io.edgegate.gateway.observe.GatewayMetrics;
import io.edgegate.testsupport.ExpectedLogs;
import io.edgegate.testsupport.GatewayHygiene;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The TLS listener seen from outside: every kind of failed handshake counted and logged, and the
 * server certificate, the device CA bundle and the CRL replaced on a running gateway without a
 * restart (a bad new file reported, the old one kept).
 */
@ExtendWith(GatewayHygiene.class)
class TlsIT {
  @TempDir static Path dir;
  @RegisterExtension static final ClassKafka kafka = new ClassKafka();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void captureLogs() {
    logs.start();
    ((Logger) LoggerFactory.getLogger("io.edgegate")).addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    ((Logger) LoggerFactory.getLogger("io.edgegate")).detachAppender(logs);
  }

  private boolean logged(String text) {
    synchronized (logs) { // the appender adds under its own lock
      return logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
    }
  }

  private void clearLogs() {
    synchronized (logs) {
      logs.list.clear();
    }
  }

  private static double refused(TestGateway gw, String reason) {
    return DeviceSecurityIT.counter(gw, GatewayMetrics.CONNECTIONS_REFUSED, reason);
  }

  private static GatewayConfig tlsConfig(String name, Path files) throws Exception {
    Files.createDirectories(files);
    GatewayConfig c = TestGateway.config(dir.resolve(name), kafka.bootstrapServers());
    c.kafka.topic = name;
    c.mqtt.auth.anonymous = false;
    c.mqtt.tls.enabled = true;
    c.mqtt.tls.certFile = files.resolve("server.crt");
    c.mqtt.tls.keyFile = files.resolve("server.key");
    c.mqtt.tls.clientAuth = MqttTlsConfig.ClientAuth.REQUIRED;
    c.mqtt.tls.clientCaFile = files.resolve("devices-ca.crt");
    c.mqtt.tls.deviceIdFrom = MqttTlsConfig.DeviceIdFrom.CN;
    c.mqtt.tls.reloadInterval = Duration.ofMillis(200);
    return c;
  }

  private static Mqtt5BlockingClient device(int port, Certs.Issued trusted, Certs.Issued cert)
      throws Exception {
    var b =
        MqttClient.builder()
            .useMqttVersion5()
            .serverHost("127.0.0.1")
            .serverPort(port)
            .sslConfig()
            .trustManagerFactory(trusted.trustManagers());
    if (cert != null) {
      b = b.keyManagerFactory(cert.keyManagers());
    }
    return b.applySslConfig().buildBlocking();
  }

  /** Replaces {@code file} as an operator should: written beside it, then moved over it. */
  private static void replace(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void awaitMoved(TestGateway gw, String reason, double before, Supplier<String> what) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(refused(gw, reason)).as(what.get()).isGreaterThan(before));
  }

  @Test
  void everyKindOfRefusedHandshakeIsCountedAndLogged() throws Exception {
    Path files = dir.resolve("refusals-files");
    Certs.Issued ca = Certs.ca("Server CA");
    Certs.Issued server = Certs.server(ca);
    Certs.Issued devicesCa = Certs.ca("Devices CA");
    Certs.Issued pump = Certs.device(devicesCa, "CN=pump-1", null);
    Certs.Issued stranger = Certs.device(Certs.ca("Other CA"), "CN=pump-1", null);
    GatewayConfig c = tlsConfig("refusals", files);
    server.writeCert(c.mqtt.tls.certFile);
    server.writeKey(c.mqtt.tls.keyFile);
    devicesCa.writeCert(c.mqtt.tls.clientCaFile);
    c.mqtt.connectTimeout = Duration.ofSeconds(2);
    try (TestGateway gw = TestGateway.start(c)) {
      int port = gw.mqttPort();
      Mqtt5BlockingClient ok = device(port, ca, pump);
      ok.connect();
      ok.disconnect();

      // Plain MQTT on the TLS port.
      double before = refused(gw, "tls-not-tls");
      try (RawMqtt plain = RawMqtt.open(port)) {
        plain.send(RawMqtt.connect(5, "pump-1", 30));
        assertThat(plain.closedWithin(10_000)).isTrue();
      }
      awaitMoved(gw, "tls-not-tls", before, () -> "plain TCP");

      // TLS 1.1, as an old device offers it (the JDK client would not even send it).
      before = refused(gw, "tls-handshake-failed");
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.getOutputStream().write(clientHello(0x0302));
        s.getOutputStream().flush();
        s.setSoTimeout(10_000);
        int first = s.getInputStream().read();
        assertThat(first).as("a TLS alert record, or the close").isIn(0x15, -1);
      }
      awaitMoved(gw, "tls-handshake-failed", before, () -> "TLS 1.1");

      // No client certificate under clientAuth: required.
      before = refused(gw, "tls-handshake-failed");
      Mqtt5BlockingClient anonymous = device(port, ca, null);
      assertThatThrownBy(anonymous::connect).isNotNull();
      awaitMoved(gw, "tls-handshake-failed", before, () -> "no client certificate");

      // A certificate no configured CA signed (sent anyway: a JDK or HiveMQ client would send
      // none, as its issuer is not among those the server asks for).
      before = refused(gw, "tls-bad-certificate");
      assertThatThrownBy(() -> handshakePresenting(port, ca, stranger)).isNotNull();
      awaitMoved(gw, "tls-bad-certificate", before, () -> "untrusted certificate");

      // A connection that never starts TLS: the handshake deadline (mqtt.connectTimeout).
      before = refused(gw, "tls-handshake-timeout");
      try (RawMqtt silent = RawMqtt.open(port)) {
        assertThat(silent.closedWithin(10_000)).isTrue();
      }
      awaitMoved(gw, "tls-handshake-timeout", before, () -> "silent connection");

      assertThat(logged("Refused a TLS connection: tls-not-tls")).isTrue();
      assertThat(logged("Refused a TLS connection: tls-handshake-failed")).isTrue();
      assertThat(logged("Refused a TLS connection: tls-bad-certificate")).isTrue();
      assertThat(logged("Refused a TLS connection: tls-handshake-timeout")).isTrue();
    }
  }

  // The test writes a bad certificate and a key that does not match, and waits for this line.
  @ExpectedLogs("^TLS files not reloaded, keeping those in force")
  @Test
  void certificatesTheDeviceCaAndTheCrlAreReplacedWithoutARestart() throws Exception {
    Path files = dir.resolve("rotation-files");
    Certs.Issued oldCa = Certs.ca("Server CA 2025");
    Certs.Issued newCa = Certs.ca("Server CA 2026");
    Certs.Issued oldServer = Certs.server(oldCa);
    Certs.Issued newServer = Certs.server(newCa);
    Certs.Issued devicesCa = Certs.ca("Devices CA 1");
    Certs.Issued nextDevicesCa = Certs.ca("Devices CA 2");
    Certs.Issued pump1 = Certs.device(devicesCa, "CN=pump-1", null);
    Certs.Issued pump2 = Certs.device(devicesCa, "CN=pump-2", null);
    Certs.Issued pump3 = Certs.device(nextDevicesCa, "CN=pump-3", null);
    GatewayConfig c = tlsConfig("rotation", files);
    oldServer.writeCert(c.mqtt.tls.certFile);
    oldServer.writeKey(c.mqtt.tls.keyFile);
    devicesCa.writeCert(c.mqtt.tls.clientCaFile);
    c.mqtt.tls.crlFile = files.resolve("devices.crl");
    Files.writeString(c.mqtt.tls.crlFile, Certs.crl(devicesCa));
    try (TestGateway gw = TestGateway.start(c)) {
      int port = gw.mqttPort();
      Mqtt5BlockingClient stays = device(port, oldCa, pump1);
      stays.connect();

      // A bad new certificate: reported, the one in force stays.
      replace(c.mqtt.tls.certFile, "-----BEGIN CERTIFICATE-----\nnot base64\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> logged("TLS files not reloaded"));
      Mqtt5BlockingClient d = device(port, oldCa, pump2);
      d.connect();
      d.disconnect();
      // A certificate without its key (written before the key): reported too.
      clearLogs();
      replace(c.mqtt.tls.certFile, Certs.pem(newServer.cert()));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> logged("is not the key of the certificate"));

      // Then the key: the new set serves new handshakes; open connections keep theirs.
      replace(c.mqtt.tls.keyFile, Certs.pem(newServer.keys().getPrivate()));
      await().atMost(Duration.ofSeconds(10)).until(() -> logged("TLS files reloaded"));
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(
              () -> {
                Mqtt5BlockingClient n = device(port, newCa, pump2);
                n.connect();
                n.disconnect();
                return true;
              });
      assertThatThrownBy(() -> device(port, oldCa, pump2).connect())
          .as("the old server certificate is gone")
          .isNotNull();
      assertThat(stays.getState().isConnected()).isTrue();
      stays
          .publishWith()
          .topic("devices/pump-1/t")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload("{}".getBytes(StandardCharsets.UTF_8))
          .send();

      // The CRL now revokes pump-2: refused at the handshake.
      double revokedBefore = refused(gw, "tls-bad-certificate");
      clearLogs();
      replace(c.mqtt.tls.crlFile, Certs.crl(devicesCa, pump2.cert()));
      await().atMost(Duration.ofSeconds(10)).until(() -> logged("CRL with 1 revoked"));
      assertThatThrownBy(() -> device(port, newCa, pump2).connect()).isNotNull();
      awaitMoved(gw, "tls-bad-certificate", revokedBefore, () -> "revoked pump-2");

      // A new device CA: its devices get in, the old CA's do not.
      clearLogs();
      replace(c.mqtt.tls.clientCaFile, Certs.pem(nextDevicesCa.cert()));
      await().atMost(Duration.ofSeconds(10)).until(() -> logged("TLS files reloaded"));
      Mqtt5BlockingClient p3 = device(port, newCa, pump3);
      p3.connect();
      p3.disconnect();
      assertThatThrownBy(() -> device(port, newCa, pump1).connect()).isNotNull();
      assertThat(stays.getState().isConnected()).as("still, through all of it").isTrue();
      stays.disconnect();
    }
  }

  /** A TLS handshake that presents {@code cert} whatever CAs the server asks for. */
  private static void handshakePresenting(int port, Certs.Issued trusted, Certs.Issued cert)
      throws Exception {
    javax.net.ssl.X509KeyManager km =
        (javax.net.ssl.X509KeyManager) cert.keyManagers().getKeyManagers()[0];
    String alias = km.getClientAliases("EC", null)[0];
    javax.net.ssl.X509KeyManager always =
        new javax.net.ssl.X509ExtendedKeyManager() {
          @Override
          public String chooseClientAlias(
              String[] keyType, java.security.Principal[] issuers, Socket socket) {
            return alias;
          }

          @Override
          public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return new String[] {alias};
          }

          @Override
          public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return null;
          }

          @Override
          public String chooseServerAlias(
              String keyType, java.security.Principal[] issuers, Socket socket) {
            return null;
          }

          @Override
          public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
            return km.getCertificateChain(alias);
          }

          @Override
          public java.security.PrivateKey getPrivateKey(String alias) {
            return km.getPrivateKey(alias);
          }
        };
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLSv1.2");
    tls.init(
        new javax.net.ssl.KeyManager[] {always}, trusted.trustManagers().getTrustManagers(), null);
    try (javax.net.ssl.SSLSocket s =
        (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      // TLS 1.2: the server's verdict on the certificate comes before the handshake ends.
      s.getOutputStream().write(RawMqtt.connect(5, "pump-1", 30));
      s.getOutputStream().flush();
      if (s.getInputStream().read() < 0) {
        throw new IOException("closed by the gateway");
      }
    }
  }

  /** A TLS ClientHello record offering only {@code version} (0x0302: TLS 1.1), no extensions. */
  private static byte[] clientHello(int version) {
    ByteArrayOutputStream hello = new ByteArrayOutputStream();
    hello.write(version >> 8);
    hello.write(version & 0xff);
    hello.writeBytes(new byte[32]); // random
    hello.write(0); // session id
    int[] suites = {0xc013, 0xc014, 0x002f, 0x0035};
    hello.write(0);
    hello.write(suites.length * 2);
    for (int s : suites) {
      hello.write(s >> 8);
      hello.write(s & 0xff);
    }
    hello.write(1); // compression methods
    hello.write(0);
    byte[] body = hello.toByteArray();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(0x16); // handshake
    record.write(0x03);
    record.write(0x01);
    int length = body.length + 4;
    record.write(length >> 8);
    record.write(length & 0xff);
    record.write(0x01); // ClientHello
    record.write(0);
    record.write(body.length >> 8);
    record.write(body.length & 0xff);
    record.writeBytes(body);
    return record.toByteArray();
  }
}
