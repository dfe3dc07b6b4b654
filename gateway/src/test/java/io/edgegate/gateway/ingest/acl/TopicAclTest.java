package io.edgegate.gateway.ingest.acl;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.MqttAclConfig;
import io.edgegate.gateway.config.MqttAclConfig.Access;
import io.edgegate.gateway.ingest.auth.DeviceIdentity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicAclTest {
  private static DeviceIdentity device(String clientId, String user, Map<String, String> cert) {
    String identity = cert.containsKey("cn") ? cert.get("cn") : user;
    return new DeviceIdentity(clientId, user, identity, cert, false);
  }

  private static TopicAcl acl(MqttAclConfig.Rule... rules) {
    MqttAclConfig c = new MqttAclConfig();
    c.rules = List.of(rules);
    return TopicAcl.of(c);
  }

  @Test
  void theDefaultRuleConfinesEachDeviceToItsOwnPrefix() {
    DeviceAcl a = TopicAcl.of(new MqttAclConfig()).forDevice(device("dev-1", null, Map.of()));
    assertThat(a.mayPublish("devices/dev-1/telemetry")).isTrue();
    assertThat(a.mayPublish("devices/dev-1")).as("'#' covers the parent level").isTrue();
    assertThat(a.mayPublish("devices/dev-1/a/b/c")).isTrue();
    assertThat(a.mayPublish("devices/dev-2/telemetry")).isFalse();
    assertThat(a.mayPublish("devices/dev-10/telemetry")).isFalse();
    assertThat(a.mayPublish("devices/dev-/telemetry")).isFalse();
    assertThat(a.mayPublish("other/dev-1")).isFalse();
    assertThat(a.maySubscribe("devices/dev-1/#"))
        .as("publish rules grant no subscription")
        .isFalse();
  }

  @Test
  void usernameAndCertificateVariablesAreSubstitutedPerConnection() {
    TopicAcl acl =
        acl(
            new MqttAclConfig.Rule(Access.PUBLISH, List.of("tenants/{username}/{clientId}/+")),
            new MqttAclConfig.Rule(Access.ALL, List.of("sites/{cert.o}/{cert.cn}/#")),
            new MqttAclConfig.Rule(Access.SUBSCRIBE, List.of("commands/{identity}")));
    DeviceAcl byPassword = acl.forDevice(device("d1", "acme", Map.of()));
    assertThat(byPassword.mayPublish("tenants/acme/d1/temp")).isTrue();
    assertThat(byPassword.mayPublish("tenants/acme/d2/temp")).isFalse();
    assertThat(byPassword.mayPublish("tenants/other/d1/temp")).isFalse();
    assertThat(byPassword.mayPublish("tenants/acme/d1/temp/deeper")).isFalse();
    assertThat(byPassword.mayPublish("sites/x/d1/a"))
        .as("no certificate: the cert rule does not apply")
        .isFalse();
    assertThat(byPassword.maySubscribe("commands/acme")).isTrue();
    assertThat(byPassword.maySubscribe("commands/+")).as("asks for more than granted").isFalse();

    DeviceAcl byCert =
        acl.forDevice(device("pump-7", null, Map.of("cn", "pump-7", "o", "plant-3")));
    assertThat(byCert.mayPublish("sites/plant-3/pump-7/flow")).isTrue();
    assertThat(byCert.mayPublish("sites/plant-4/pump-7/flow")).isFalse();
    assertThat(byCert.maySubscribe("sites/plant-3/pump-7/+")).isTrue();
    assertThat(byCert.maySubscribe("sites/plant-3/#")).isFalse();
    assertThat(byCert.maySubscribe("commands/pump-7")).isTrue();
    assertThat(byCert.mayPublish("tenants/pump-7/pump-7/x"))
        .as("no user name: the {username} rule does not apply")
        .isFalse();
  }

  @Test
  void aValueWithSeparatorsOrWildcardsNeverWidensARule() {
    TopicAcl acl = acl(new MqttAclConfig.Rule(Access.ALL, List.of("devices/{clientId}/#")));
    for (String evil : List.of("a/b", "+", "#", "x+y", "")) {
      DeviceAcl a = acl.forDevice(device(evil, null, Map.of()));
      assertThat(a.mayPublish("devices/a/b/c")).as("client id '%s'", evil).isFalse();
      assertThat(a.mayPublish("devices/x/c")).as("client id '%s'", evil).isFalse();
      assertThat(a.publishFilters()).isZero();
    }
  }

  @Test
  void usersRestrictARuleToNamedIdentities() {
    MqttAclConfig.Rule admin = new MqttAclConfig.Rule(Access.ALL, List.of("#"));
    admin.users = List.of("ops");
    TopicAcl acl =
        acl(admin, new MqttAclConfig.Rule(Access.PUBLISH, List.of("devices/{clientId}/#")));
    assertThat(acl.forDevice(device("ops", "ops", Map.of())).mayPublish("anything/at/all"))
        .isTrue();
    assertThat(acl.forDevice(device("d", "d", Map.of())).mayPublish("anything/at/all")).isFalse();
    assertThat(acl.forDevice(device("anon", null, Map.of())).mayPublish("anything")).isFalse();
  }

  @Test
  void ruleFiltersAreValidatedWithTheirKey() {
    assertThat(MqttAclConfig.filterProblem("devices/{clientid}/#")).contains("unknown variable");
    assertThat(MqttAclConfig.filterProblem("devices/#/x")).contains("'#'");
    assertThat(MqttAclConfig.filterProblem("devices/a+/x")).contains("'+'");
    assertThat(MqttAclConfig.filterProblem("devices/{cert.cn/x")).contains("braces");
    assertThat(MqttAclConfig.filterProblem("devices/{cert.cn}-{username}/#")).isNull();
  }
}
