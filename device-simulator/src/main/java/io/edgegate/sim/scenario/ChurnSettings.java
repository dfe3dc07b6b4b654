package io.edgegate.sim.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/**
 * {@code churn.*}: connection churn. Every {@code every}, {@code fraction} of the connected devices
 * disconnect at once and reconnect after {@code downtime} — a reconnect storm when the fraction is
 * 1 and the downtime short. Their in-flight publishes fail (and are not counted as acknowledged).
 */
public final class ChurnSettings {
  /** Unset: no churn. */
  @JsonDeserialize(using = Values.DurationDeserializer.class)
  public Duration every;

  public double fraction = 0.1;

  @JsonDeserialize(using = Values.DurationDeserializer.class)
  public Duration downtime = Duration.ofSeconds(1);

  /**
   * Disconnect with reason 0x04 "disconnect with will message" so that the broker publishes the
   * Last Will (MQTT 5 only; an MQTT 3.1.1 DISCONNECT always discards the will [MQTT-3.14.4-3]).
   */
  public boolean withWill;

  public boolean enabled() {
    return every != null;
  }

  void validate(Problems p, MqttSettings mqtt) {
    p.require(every == null || every.toMillis() >= 100, "churn.every", "must be at least 100ms");
    p.require(fraction > 0 && fraction <= 1, "churn.fraction", "must be above 0 and at most 1");
    p.require(downtime != null && !downtime.isNegative(), "churn.downtime", "must be 0s or more");
    p.require(
        !withWill || mqtt.isMqtt5(),
        "churn.withWill",
        "needs mqtt.version 5: MQTT 3.1.1 has no DISCONNECT that keeps the will");
  }
}
