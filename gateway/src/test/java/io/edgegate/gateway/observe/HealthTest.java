package io.edgegate.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What each combination of component states means for readiness. */
class HealthTest {
  private final AtomicReference<Health.Component> kafka =
      new AtomicReference<>(Health.Component.up(Map.of()));
  private final AtomicReference<Health.Component> journal =
      new AtomicReference<>(Health.Component.up(Map.of()));
  private final Health health = new Health(0);

  {
    health.register("journal", journal::get);
    health.register("kafka", kafka::get);
  }

  @Test
  void notReadyUntilRunningAndAgainOnceStopping() {
    assertThat(health.report().ready()).isFalse();
    assertThat(health.report().toJson().getString("phase")).isEqualTo("starting");
    health.phase(Health.Phase.RUNNING);
    assertThat(health.report().ready()).isTrue();
    assertThat(health.report().status()).isEqualTo(Health.Status.UP);
    health.phase(Health.Phase.STOPPING);
    assertThat(health.report().ready()).isFalse();
    assertThat(health.report().status()).isEqualTo(Health.Status.DOWN);
  }

  @Test
  void kafkaAwayDegradesButStaysReady() {
    health.phase(Health.Phase.RUNNING);
    kafka.set(new Health.Component(Health.Status.DEGRADED, "sends fail", Map.of("backlog", 12)));
    Health.Report r = health.report();
    assertThat(r.ready()).isTrue();
    assertThat(r.status()).isEqualTo(Health.Status.DEGRADED);
    JsonObject json = r.toJson();
    assertThat(json.getString("status")).isEqualTo("degraded");
    assertThat(json.getJsonObject("components").getJsonObject("kafka").getString("reason"))
        .isEqualTo("sends fail");
    assertThat(json.getJsonObject("components").getJsonObject("kafka").getInteger("backlog"))
        .isEqualTo(12);
  }

  @Test
  void aJournalThatCannotAppendMakesItUnready() {
    health.phase(Health.Phase.RUNNING);
    kafka.set(new Health.Component(Health.Status.DEGRADED, "sends fail", Map.of()));
    journal.set(new Health.Component(Health.Status.DOWN, "appends fail", Map.of()));
    assertThat(health.report().ready()).isFalse();
    assertThat(health.report().status()).isEqualTo(Health.Status.DOWN);
  }

  @Test
  void aCheckThatThrowsIsReportedDownNotPropagated() {
    health.phase(Health.Phase.RUNNING);
    health.register(
        "broken",
        () -> {
          throw new IllegalStateException("bug");
        });
    Health.Report r = health.report();
    assertThat(r.ready()).isFalse();
    assertThat(r.components().get("broken").reason()).contains("bug");
  }

  @Test
  void livenessDoesNotDependOnComponents() {
    journal.set(new Health.Component(Health.Status.DOWN, "appends fail", Map.of()));
    health.phase(Health.Phase.STOPPING);
    JsonObject live = health.liveness(1500);
    assertThat(live.getString("status")).isEqualTo("up");
    assertThat(live.getDouble("uptimeSeconds")).isEqualTo(1.5);
  }
}
