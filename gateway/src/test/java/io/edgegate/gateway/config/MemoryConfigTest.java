package io.edgegate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryConfigTest {
  private static final String KAFKA = "kafka: {bootstrapServers: 'k:9092'}\n";

  @Test
  void profileAndBudgetBindAsTheLauncherReadsThem() {
    GatewayConfig c =
        ConfigLoader.parse(
            "t.yaml", KAFKA + "memory:\n  profile: raspberry-pi  # small\n  budget: 200MiB\n");
    assertThat(c.memory.profile).isEqualTo(MemoryConfig.Profile.RASPBERRY_PI);
    assertThat(c.memory.budget).isEqualTo(200L << 20);
  }

  @Test
  void defaultsAreTheDefaultProfileWithTheLaunchersBudget() {
    GatewayConfig c = ConfigLoader.parse("t.yaml", KAFKA);
    assertThat(c.memory.profile).isEqualTo(MemoryConfig.Profile.DEFAULT);
    assertThat(c.memory.budget).isNull();
  }

  @Test
  void anUnknownProfileOrATinyBudgetNamesTheKey() {
    assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", KAFKA + "memory: {profile: tiny}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("memory.profile");
    assertThatThrownBy(() -> ConfigLoader.parse("t.yaml", KAFKA + "memory: {budget: 64MiB}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("memory.budget: must be from 128MiB to 1TiB");
  }
}
