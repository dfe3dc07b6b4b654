package io.edgegate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.MqttAclConfig;
import io.edgegate.gateway.config.MqttTlsConfig;
import io.edgegate.gateway.ingest.auth.PasswordFile;
import io.edgegate.gateway.observe.GatewayMetrics;
import io.edgegate.testsupport.GatewayHygiene;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who gets in and where they may publish: password authentication (reloaded on change), each
 * refusal with its CONNACK code in MQTT 3.1.1 and 5, topic ACLs with substitution, TLS and mutual
 * TLS with certificates made here.
 */
@ExtendWith(GatewayHygiene.class)
class DeviceSecurityIT {
  @TempDir static Path dir;
  @RegisterExtension static final ClassKafka kafka = new ClassKafka();

  private static GatewayConfig config(String name) {
    GatewayConfig c = TestGateway.config(dir.resolve(name), kafka.bootstrapServers());
    c.kafka.topic = name;
    c.mqtt.auth.anonymous = false;
    return c;
  }

  private static Mqtt5BlockingClient mqtt5(String id, int port) {
    return MqttClient.builder()
        .useMqttVersion5()
        .identifier(id)
        .serverHost("127.0.0.1")
        .serverPort(port)
        .buildBlocking();
  }

  private static Mqtt3BlockingClient mqtt3(String id, int port) {
    return MqttClient.builder()
        .useMqttVersion3()
        .identifier(id)
        .serverHost("127.0.0.1")
        .serverPort(port)
        .buildBlocking();
  }

  private static Mqtt5ConnAckReasonCode refused5(Mqtt5BlockingClient c, String user, String pw) {
    var connect = c.connectWith().cleanStart(true);
    if (user != null) {
      connect = connect.simpleAuth().username(user).password(bytes(pw)).applySimpleAuth();
    }
    var builder = connect;
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(builder::send);
    assertThat(t).isInstanceOf(Mqtt5ConnAckException.class);
    return ((Mqtt5ConnAckException) t).getMqttMessage().getReasonCode();
  }

  private static Mqtt3ConnAckReturnCode refused3(Mqtt3BlockingClient c, String user, String pw) {
    var connect = c.connectWith().cleanSession(true);
    if (user != null) {
      connect = connect.simpleAuth().username(user).password(bytes(pw)).applySimpleAuth();
    }
    var builder = connect;
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(builder::send);
    assertThat(t).isInstanceOf(Mqtt3ConnAckException.class);
    return ((Mqtt3ConnAckException) t).getMqttMessage().getReturnCode();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void passwordsDecideWhoConnectsEachRefusalHasItsCodeAndTheFileIsReloaded() throws Exception {
    Path passwd = dir.resolve("passwd");
    PasswordFile.empty().with("dev-1", "pw-1".toCharArray(), 4).write(passwd);
    GatewayConfig c = config("auth");
    c.mqtt.auth.passwordFile = passwd;
    c.mqtt.auth.reloadInterval = Duration.ofMillis(200);
    try (TestGateway gw = TestGateway.start(c)) {
      int port = gw.mqttPort();
      Mqtt5BlockingClient ok = mqtt5("dev-1", port);
      ok.connectWith()
          .simpleAuth()
          .username("dev-1")
          .password(bytes("pw-1"))
          .applySimpleAuth()
          .send();
      ok.publishWith()
          .topic("devices/dev-1/t")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(bytes("{\"seq\":0}"))
          .send();
      ok.disconnect();

      // MQTT 5 reason codes (3.2.2.2)
      assertThat(refused5(mqtt5("dev-1", port), "dev-1", "wrong"))
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD); // 0x86
      assertThat(refused5(mqtt5("dev-9", port), "dev-9", "pw-1"))
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
      assertThat(refused5(mqtt5("dev-1", port), null, null))
          .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED); // 0x87: anonymous is off
      assertThat(refused5(mqtt5("dev-2", port), "dev-1", "pw-1"))
          .as("dev-1's password used for client dev-2")
          .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID); // 0x85
      // MQTT 3.1.1 return codes (3.2.2.3)
      assertThat(refused3(mqtt3("dev-1", port), "dev-1", "wrong"))
          .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD); // 0x04
      assertThat(refused3(mqtt3("dev-1", port), null, null))
          .isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED); // 0x05
      assertThat(refused3(mqtt3("dev 1", port), "dev-1", "pw-1"))
          .as("client id rules")
          .isEqualTo(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED); // 0x02

      assertThat(reasonCount(gw, "bad-credentials")).isEqualTo(3);
      assertThat(reasonCount(gw, "not-authorized")).isEqualTo(2);
      assertThat(reasonCount(gw, "client-id-invalid")).isEqualTo(2);

      // A device added to the file gets in without a restart; a removed one is out.
      PasswordFile.read(passwd)
          .with("dev-2", "pw-2".toCharArray(), 4)
          .without("dev-1")
          .write(passwd);
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          // Until the reload, the CONNACK refusal is an exception, not an assertion failure.
          .ignoreExceptionsInstanceOf(
              com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class)
          .untilAsserted(
              () -> {
                Mqtt5BlockingClient d2 = mqtt5("dev-2", port);
                d2.connectWith()
                    .simpleAuth()
                    .username("dev-2")
                    .password(bytes("pw-2"))
                    .applySimpleAuth()
                    .send();
                d2.disconnect();
              });
      assertThat(refused5(mqtt5("dev-1", port), "dev-1", "pw-1"))
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
      assertThat(
              gw.gateway.metrics().registry().find(GatewayMetrics.PASSWORD_CHECKS).timer().count())
          .isGreaterThanOrEqualTo(6);
    }
  }

  @Test
  void aclConfinesEachDeviceRefusedPublishesAreNeverJournaledAndAreCounted() throws Exception {
    Path passwd = dir.resolve("passwd-acl");
    PasswordFile.empty()
        .with("dev-a", "pa".toCharArray(), 4)
        .with("dev-b", "pb".toCharArray(), 4)
        .write(passwd);
    GatewayConfig c = config("acl");
    c.mqtt.auth.passwordFile = passwd;
    c.mqtt.acl.rules =
        List.of(
            new MqttAclConfig.Rule(MqttAclConfig.Access.PUBLISH, List.of("devices/{clientId}/#")),
            new MqttAclConfig.Rule(MqttAclConfig.Access.ALL, List.of("users/{username}/+")));
    try (TestGateway gw = TestGateway.start(c)) {
      int port = gw.mqttPort();
      Mqtt5BlockingClient a = mqtt5("dev-a", port);
      a.connectWith().simpleAuth().username("dev-a").password(bytes("pa")).applySimpleAuth().send();
      assertThat(publish(a, "devices/dev-a/t", 0)).isEmpty();
      assertThat(publish(a, "users/dev-a/status", 1)).isEmpty();
      // Another device's topics: PUBACK 0x87, nothing journaled.
      Optional<Throwable> refused = publish(a, "devices/dev-b/t", 2);
      assertThat(refused).isPresent();
      assertThat(
              ((com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException) refused.get())
                  .getMqttMessage()
                  .getReasonCode())
          .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
      a.publishWith()
          .topic("elsewhere")
          .qos(MqttQos.AT_MOST_ONCE)
          .payload(bytes("{\"seq\":3}"))
          .send();
      var sub = catchSubscribe(a, "users/dev-a/commands");
      assertThat(sub)
          .as("allowed: kept in the device's session (commands are delivered to it)")
          .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_2);
      var denied = catchSubscribe(a, "users/dev-b/commands");
      assertThat(denied).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
      assertThat(publish(a, "devices/dev-a/t", 4)).as("still connected").isEmpty();
      a.disconnect();

      // MQTT 3.1.1 has no negative PUBACK: the device is disconnected (mqtt311Refusal: disconnect).
      Mqtt3BlockingClient b = mqtt3("dev-b", port);
      b.connectWith().simpleAuth().username("dev-b").password(bytes("pb")).applySimpleAuth().send();
      b.publishWith()
          .topic("devices/dev-b/t")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(bytes("{\"seq\":5}"))
          .send();
      assertThatThrownBy(
              () ->
                  b.publishWith()
                      .topic("devices/dev-a/t")
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .payload(bytes("{\"seq\":6}"))
                      .send())
          .isInstanceOf(RuntimeException.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> !b.getState().isConnected());

      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(kafka.bootstrapServers(), "acl", 4, Duration.ofSeconds(60));
      assertThat(records.stream().map(r -> KafkaTopic.header(r, "mqtt_topic")).toList())
          .containsExactlyInAnyOrder(
              "devices/dev-a/t", "users/dev-a/status", "devices/dev-a/t", "devices/dev-b/t");
      assertThat(records)
          .noneMatch(
              r -> new String(r.value(), StandardCharsets.UTF_8).matches(".*\"seq\":(2|3|6).*"));
      assertThat(counter(gw, GatewayMetrics.REFUSED, "not-authorized")).isEqualTo(2);
      assertThat(counter(gw, GatewayMetrics.DROPPED, "not-authorized")).isEqualTo(1);
      assertThat(counter(gw, GatewayMetrics.SUBSCRIPTIONS_REFUSED, "not-authorized")).isEqualTo(1);
    }
  }

  private static List<Mqtt5SubAckReasonCode> catchSubscribe(Mqtt5BlockingClient c, String filter) {
    try {
      return c.subscribeWith().topicFilter(filter).send().getReasonCodes();
    } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException e) {
      return e.getMqttMessage().getReasonCodes();
    }
  }

  /** The error of a QoS 1 publish (a negative PUBACK), empty when it succeeded. */
  private static Optional<Throwable> publish(Mqtt5BlockingClient c, String topic, int seq) {
    try {
      Mqtt5PublishResult r =
          c.publishWith()
              .topic(topic)
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(bytes("{\"seq\":" + seq + "}"))
              .send();
      return r.getError();
    } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException e) {
      return Optional.of(e);
    }
  }

  @Test
  void tlsListenerAndMutualTlsTakeTheDeviceIdFromTheCertificate() throws Exception {
    Certs.Issued ca = Certs.ca("EdgeGate test CA");
    Certs.Issued server = Certs.server(ca);
    Certs.Issued devicesCa = Certs.ca("Devices CA");
    Certs.Issued pump = Certs.device(devicesCa, "CN=pump-7,O=plant-3", "pump-7.plant-3.example");
    Certs.Issued stranger = Certs.device(Certs.ca("Other CA"), "CN=pump-7", null);
    GatewayConfig c = config("tls");
    c.mqtt.tls.enabled = true;
    c.mqtt.tls.certFile = server.writeCert(dir.resolve("server.crt"));
    c.mqtt.tls.keyFile = server.writeKey(dir.resolve("server.key"));
    c.mqtt.tls.clientAuth = MqttTlsConfig.ClientAuth.REQUIRED;
    c.mqtt.tls.clientCaFile = devicesCa.writeCert(dir.resolve("devices-ca.crt"));
    c.mqtt.tls.deviceIdFrom = MqttTlsConfig.DeviceIdFrom.CN;
    c.mqtt.acl.rules =
        List.of(
            new MqttAclConfig.Rule(
                MqttAclConfig.Access.PUBLISH, List.of("sites/{cert.o}/{identity}/#")));
    try (TestGateway gw = TestGateway.start(c)) {
      int port = gw.mqttPort();
      // The device id comes from the certificate: an empty client id is assigned it (MQTT 5).
      Mqtt5BlockingClient p =
          MqttClient.builder()
              .useMqttVersion5()
              .serverHost("127.0.0.1")
              .serverPort(port)
              .sslConfig()
              .trustManagerFactory(ca.trustManagers())
              .keyManagerFactory(pump.keyManagers())
              .protocols(List.of("TLSv1.3"))
              .applySslConfig()
              .buildBlocking();
      Mqtt5ConnAck ack = p.connect();
      assertThat(ack.getAssignedClientIdentifier().map(Object::toString)).contains("pump-7");
      assertThat(ack.getRestrictions().getReceiveMaximum()).isEqualTo(c.mqtt.limits.maxInflight);
      assertThat(publish(p, "sites/plant-3/pump-7/flow", 0)).isEmpty();
      assertThat(publish(p, "sites/plant-4/pump-7/flow", 1)).as("other site").isPresent();
      p.disconnect();

      // TLS 1.2 is offered too.
      Mqtt5BlockingClient tls12 =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier("pump-7")
              .serverHost("127.0.0.1")
              .serverPort(port)
              .sslConfig()
              .trustManagerFactory(ca.trustManagers())
              .keyManagerFactory(pump.keyManagers())
              .protocols(List.of("TLSv1.2"))
              .applySslConfig()
              .buildBlocking();
      tls12.connect();
      tls12.disconnect();

      // A client id that is not the certificate's: 0x85.
      Mqtt5BlockingClient liar =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier("pump-8")
              .serverHost("127.0.0.1")
              .serverPort(port)
              .sslConfig()
              .trustManagerFactory(ca.trustManagers())
              .keyManagerFactory(pump.keyManagers())
              .applySslConfig()
              .buildBlocking();
      assertThat(refused5(liar, null, null))
          .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);

      // No certificate, or one from another CA, or no TLS at all: no MQTT session.
      for (Certs.Issued who : new Certs.Issued[] {null, stranger}) {
        var b =
            MqttClient.builder()
                .useMqttVersion5()
                .identifier("pump-7")
                .serverHost("127.0.0.1")
                .serverPort(port)
                .sslConfig()
                .trustManagerFactory(ca.trustManagers());
        if (who != null) {
          b = b.keyManagerFactory(who.keyManagers());
        }
        Mqtt5BlockingClient client = b.applySslConfig().buildBlocking();
        assertThatThrownBy(client::connect)
            .as("certificate %s", who == null ? "none" : "foreign")
            .isNotNull();
        assertThat(client.getState().isConnected()).isFalse();
      }
      try (RawMqtt plain = RawMqtt.open(port)) {
        plain.send(RawMqtt.connect(5, "pump-7", 30));
        assertThat(plain.closedWithin(10_000)).as("plain TCP on the TLS port").isTrue();
      }
      List<ConsumerRecord<String, byte[]>> records =
          KafkaTopic.readAll(kafka.bootstrapServers(), "tls", 1, Duration.ofSeconds(60));
      assertThat(records).hasSize(1);
      assertThat(records.get(0).key()).isEqualTo("pump-7");
    }
  }

  private static double reasonCount(TestGateway gw, String reason) {
    return counter(gw, GatewayMetrics.CONNECTIONS_REFUSED, reason);
  }

  @Test
  void aWillOnATopicTheDeviceMayNotPublishToIsRefusedAtConnectInEachVersion() throws Exception {
    GatewayConfig c = config("will");
    c.mqtt.auth.anonymous = true; // the default ACL: devices/{clientId}/#
    try (TestGateway gw = TestGateway.start(c)) {
      int port = gw.mqttPort();
      // MQTT 5: CONNACK 0x87, not authorized, with a reason string.
      Mqtt5BlockingClient bad5 = mqtt5("will-5", port);
      Throwable t =
          org.assertj.core.api.Assertions.catchThrowable(
              () ->
                  bad5.connectWith()
                      .willPublish()
                      .topic("devices/other/status")
                      .payload(bytes("gone"))
                      .applyWillPublish()
                      .send());
      assertThat(t).isInstanceOf(Mqtt5ConnAckException.class);
      Mqtt5ConnAck connack = ((Mqtt5ConnAckException) t).getMqttMessage();
      assertThat(connack.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
      assertThat(connack.getReasonString().map(Object::toString))
          .hasValueSatisfying(r -> assertThat(r).contains("Will"));
      // MQTT 3.1.1: return code 5, not authorized.
      Mqtt3BlockingClient bad3 = mqtt3("will-3", port);
      Throwable t3 =
          org.assertj.core.api.Assertions.catchThrowable(
              () ->
                  bad3.connectWith()
                      .willPublish()
                      .topic("$edgegate/lifecycle/will-3")
                      .payload(bytes("gone"))
                      .applyWillPublish()
                      .send());
      assertThat(t3).isInstanceOf(Mqtt3ConnAckException.class);
      assertThat(((Mqtt3ConnAckException) t3).getMqttMessage().getReturnCode())
          .isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED);
      assertThat(counter(gw, GatewayMetrics.CONNECTIONS_REFUSED, "will-not-authorized"))
          .isEqualTo(2);
      // A Will on its own topics is accepted, in both versions.
      Mqtt5BlockingClient ok5 = mqtt5("will-5", port);
      ok5.connectWith()
          .willPublish()
          .topic("devices/will-5/status")
          .payload(bytes("gone"))
          .applyWillPublish()
          .send();
      ok5.disconnect();
      Mqtt3BlockingClient ok3 = mqtt3("will-3", port);
      ok3.connectWith()
          .willPublish()
          .topic("devices/will-3/status")
          .payload(bytes("gone"))
          .applyWillPublish()
          .send();
      ok3.disconnect();
    }
  }

  static double counter(TestGateway gw, String name, String reason) {
    var c = gw.gateway.metrics().registry().find(name).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  /**
   * A client need not wait for its CONNACK [MQTT-3.1.4-5]: a PUBLISH and a PINGREQ written with the
   * CONNECT, while the gateway still checks the password on a worker, are served after it in order;
   * after a refused CONNECT they are not processed, and nothing is logged as an error.
   */
  @Test
  void packetsSentBeforeTheConnackAreServedAfterThePasswordCheckOrDroppedOnARefusal()
      throws Exception {
    Path passwd = dir.resolve("passwd-pipelined");
    PasswordFile.empty().with("dev-p", "pw-p".toCharArray(), 4).write(passwd);
    GatewayConfig c = config("pipelined");
    c.mqtt.auth.passwordFile = passwd;
    try (TestGateway gw = TestGateway.start(c)) {
      for (int round = 0; round < 20; round++) {
        try (RawMqtt raw = RawMqtt.open(gw.mqttPort())) {
          raw.send(
              RawMqtt.connect(4, "dev-p", 30, "dev-p", "pw-p"),
              RawMqtt.publish(4, "devices/dev-p/t", 1, 7, "{\"seq\":" + round + "}"),
              RawMqtt.pingreq());
          byte[] connack = raw.readPacket(10_000);
          assertThat(connack[0] & 0xf0).as("CONNACK").isEqualTo(0x20);
          assertThat(connack[2]).as("accepted").isEqualTo((byte) 0);
          // PINGRESP may come first: the PUBACK waits for the journal's fsync.
          byte[] one = raw.readPacket(10_000);
          byte[] two = raw.readPacket(10_000);
          assertThat(two).as("PUBACK and PINGRESP, round %d", round).isNotNull();
          byte[] puback = (one[0] & 0xf0) == 0x40 ? one : two;
          byte[] pingresp = puback == one ? two : one;
          assertThat(puback[0] & 0xf0).as("PUBACK").isEqualTo(0x40);
          assertThat(RawMqtt.packetId(puback)).isEqualTo(7);
          assertThat(pingresp[0] & 0xf0).as("PINGRESP").isEqualTo(0xd0);
        }
      }
      try (RawMqtt raw = RawMqtt.open(gw.mqttPort())) {
        raw.send(
            RawMqtt.connect(4, "dev-p", 30, "dev-p", "wrong"),
            RawMqtt.publish(4, "devices/dev-p/t", 1, 8, "{\"seq\":-1}"));
        byte[] connack = raw.readPacket(10_000);
        assertThat(connack[2]).as("bad user name or password").isEqualTo((byte) 4);
        assertThat(raw.readPacketOrNull(2_000)).as("no PUBACK after a refusal").isNull();
      }
      List<ConsumerRecord<String, byte[]>> events =
          KafkaTopic.readAll(kafka.bootstrapServers(), "pipelined", 20, Duration.ofSeconds(30));
      assertThat(events).hasSize(20);
    }
  }
}
