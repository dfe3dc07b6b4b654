package io.edgegate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MqttSecurityConfigTest {
  private static final String KAFKA = "kafka: {bootstrapServers: 'k:9092'}\n";

  @Test
  void bindsTlsAuthAclAndLimits() {
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml",
            KAFKA
                + """
                mqtt:
                  tls:
                    enabled: true
                    certFile: /etc/edgegate/server.crt
                    keyFile: /etc/edgegate/server.key
                    protocols: [TLSv1.3]
                    clientAuth: required
                    clientCaFile: /etc/edgegate/devices-ca.crt
                    deviceIdFrom: cn
                  auth: {passwordFile: /etc/edgegate/passwd, reloadInterval: 2s}
                  acl:
                    rules:
                      - {topics: ["devices/{cert.cn}/#"], access: all}
                      - {topics: ["ops/#"], access: publish, users: [ops]}
                    mqtt311Refusal: drop
                  limits: {maxConnectionsPerAddress: 5, publishRate: 2.5, overRate: disconnect}
                """);
    assertThat(c.mqtt.tls.on()).isTrue();
    assertThat(c.mqtt.tls.identifiesDevices()).isTrue();
    assertThat(c.mqtt.tls.clientAuth).isEqualTo(MqttTlsConfig.ClientAuth.REQUIRED);
    assertThat(c.mqtt.auth.passwordFile).isEqualTo(Path.of("/etc/edgegate/passwd"));
    assertThat(c.mqtt.acl.rules).hasSize(2);
    assertThat(c.mqtt.acl.rules.get(1).users).containsExactly("ops");
    assertThat(c.mqtt.acl.mqtt311Refusal).isEqualTo(MqttAclConfig.Mqtt311Refusal.DROP);
    assertThat(c.mqtt.limits.publishRate).isEqualTo(2.5);
    assertThat(c.mqtt.limits.effectiveBurst()).isEqualTo(3);
    assertThat(c.mqtt.auth.anonymous).as("off unless set").isFalse();
    // the printed form loads again as the same configuration
    GatewayConfig again = ConfigLoader.parse("printed", ConfigPrinter.toYaml(c));
    assertThat(again.mqtt.acl.rules.get(0).topics).containsExactly("devices/{cert.cn}/#");
    assertThat(again.mqtt.tls.deviceIdFrom).isEqualTo(MqttTlsConfig.DeviceIdFrom.CN);
  }

  @Test
  void eachProblemNamesItsKey() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "t.yaml",
                    KAFKA
                        + """
                        mqtt:
                          tls: {enabled: true, protocols: [TLSv1.1], clientAuth: required, deviceIdFrom: cn}
                          acl: {rules: [{topics: ["devices/{clientid}/#", "a/#/b"]}, {topics: []}]}
                          limits: {maxInflight: 0, clientIdPattern: "[", publishRate: -1, maxKeepAlive: 100000s, topicAliasMaximum: 65536, maxHeldEvents: 0}
                          auth: {maxPendingVerifications: 0}
                        """))
        .hasMessageContaining("mqtt.tls.certFile: must be set")
        .hasMessageContaining("mqtt.tls.keyFile: must be set")
        .hasMessageContaining("mqtt.tls.protocols: must list TLSv1.3 and/or TLSv1.2 only")
        .hasMessageContaining("mqtt.tls.clientCaFile: must be set")
        .hasMessageContaining("mqtt.acl.rules[0].topics[0]: unknown variable {clientid}")
        .hasMessageContaining("mqtt.acl.rules[0].topics[1]: '#' must be the whole last level")
        .hasMessageContaining("mqtt.acl.rules[1].topics: must list at least one")
        .hasMessageContaining("mqtt.limits.maxInflight: must be from 1 to 65535")
        .hasMessageContaining("mqtt.limits.topicAliasMaximum: must be from 0 (no aliases) to 65535")
        .hasMessageContaining("mqtt.limits.maxHeldEvents: must be from 1 to 65535")
        .hasMessageContaining("mqtt.limits.clientIdPattern: is not a regular expression")
        .hasMessageContaining("mqtt.limits.publishRate: must be from 0")
        .hasMessageContaining("mqtt.limits.maxKeepAlive: must be from 1s to 65535s")
        .hasMessageContaining("mqtt.auth.maxPendingVerifications: must be from 1");
  }

  @Test
  void theRotationRateAndAdminKeysNameThemselvesWhenWrong() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "t.yaml",
                    KAFKA
                        + """
                        mqtt:
                          tls: {enabled: true, certFile: /c, keyFile: /k, crlFile: /crl, reloadInterval: 10ms}
                          limits: {connectionRate: -1, connectionBurst: -2}
                        admin:
                          auth: {bearerToken: short, username: prometheus, openPaths: [metrics]}
                          tls: {enabled: true}
                        """))
        .hasMessageContaining("mqtt.tls.crlFile: needs mqtt.tls.clientAuth optional or required")
        .hasMessageContaining("mqtt.tls.reloadInterval: must be at least 100ms")
        .hasMessageContaining("mqtt.limits.connectionRate: must be from 0 (no limit)")
        .hasMessageContaining("mqtt.limits.connectionBurst: must be 0")
        .hasMessageContaining("admin.auth.bearerToken: must be at least 16 characters")
        .hasMessageContaining("admin.auth.password: must be set together with admin.auth.username")
        .hasMessageContaining("admin.auth.openPaths: must be a list of paths starting with /")
        .hasMessageContaining("admin.tls.certFile: must be set")
        .hasMessageContaining("admin.tls.keyFile: must be set");
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml",
            KAFKA
                + "mqtt: {limits: {connectionRate: 2}}\nadmin: {auth: {bearerToken: '0123456789abcdef'}}\n");
    assertThat(c.mqtt.limits.effectiveConnectionBurst()).isEqualTo(20);
    assertThat(c.admin.auth.on()).isTrue();
    assertThat(ConfigPrinter.toYaml(c)).doesNotContain("0123456789abcdef");
  }

  @Test
  void environmentVariablesReachTheNewSections() {
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml",
            KAFKA,
            Map.of(
                "EDGEGATE_MQTT_TLS_ENABLED", "false",
                "EDGEGATE_MQTT_AUTH_ANONYMOUS", "true",
                "EDGEGATE_MQTT_LIMITS_MAX_CONNECTIONS_PER_ADDRESS", "7",
                "EDGEGATE_MQTT_ACL_RULES", "[{topics: ['t/{username}/#'], access: all}]"));
    assertThat(c.mqtt.tls.enabled).isFalse();
    assertThat(c.mqtt.auth.anonymous).isTrue();
    assertThat(c.mqtt.limits.maxConnectionsPerAddress).isEqualTo(7);
    assertThat(c.mqtt.acl.rules.get(0).access).isEqualTo(MqttAclConfig.Access.ALL);
  }

  @Test
  void kafkaTlsAndSaslSecretsComeFromFilesAndArePrintedMasked(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path key = dir.resolve("client.key");
    java.nio.file.Files.writeString(
        key, "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml",
            "kafka:\n"
                + "  bootstrapServers: 'k:9092'\n"
                + "  producer:\n"
                + "    security.protocol: SASL_SSL\n"
                + "    ssl.keystore.type: PEM\n"
                + "    ssl.keystore.key: ${file:"
                + key
                + "}\n"
                + "    sasl.jaas.config: ${env:JAAS}\n",
            Map.of("JAAS", "ScramLoginModule required username=\"gw\" password=\"p\";"));
    assertThat(c.kafka.producer.get("ssl.keystore.key")).startsWith("-----BEGIN PRIVATE KEY-----");
    String printed = ConfigPrinter.toYaml(c);
    assertThat(printed)
        .doesNotContain("MIIB")
        .doesNotContain("password=")
        .contains("ssl.keystore.key: '" + ConfigPrinter.MASK + "'")
        .contains("security.protocol: SASL_SSL");
  }

  @Test
  void loopbackIsToldApartWithoutALookup() {
    assertThat(MqttTlsConfig.isLoopback("127.0.0.1")).isTrue();
    assertThat(MqttTlsConfig.isLoopback("localhost")).isTrue();
    assertThat(MqttTlsConfig.isLoopback("::1")).isTrue();
    assertThat(MqttTlsConfig.isLoopback("0.0.0.0")).isFalse();
    assertThat(MqttTlsConfig.isLoopback("192.168.1.10")).isFalse();
  }
}
