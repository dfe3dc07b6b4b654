package io.edgegate.sim.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulation: devices, how they connect, what and how fast they publish, and when to stop. Read
 * from a YAML file ({@link ScenarioLoader}), then adjusted by command-line options, then {@link
 * #validate validated} once. Not thread-safe; treat as immutable once a run starts.
 */
public final class Scenario {
  /** A label for summaries and the run record. */
  public String name = "";

  /** Seed of the telemetry and payload generators, for repeatable payloads; unset: random. */
  public Long seed;

  public MqttSettings mqtt = new MqttSettings();
  public DeviceSettings devices = new DeviceSettings();
  public RateSettings rate = new RateSettings();
  public PayloadSettings payload = new PayloadSettings();
  public List<BurstSettings> bursts = new ArrayList<>();
  public ChurnSettings churn = new ChurnSettings();
  public WillSettings will = new WillSettings();

  /** Stop publishing after this time; unset: after {@code count}, or when interrupted. */
  @JsonDeserialize(using = Values.DurationDeserializer.class)
  public Duration duration;

  /** Messages each device publishes; unset: no limit. */
  public Long count;

  /** After publishing stops, how long to wait for the outcomes of in-flight publishes. */
  @JsonDeserialize(using = Values.DurationDeserializer.class)
  public Duration drainTimeout = Duration.ofSeconds(30);

  /** Checks every key; throws one exception listing all problems. */
  public Scenario validate(String source) {
    Problems p = new Problems();
    p.require(name != null, "name", "must not be null");
    if (mqtt == null
        || devices == null
        || rate == null
        || payload == null
        || churn == null
        || will == null
        || bursts == null) {
      p.add("scenario", "a section is empty (remove the key to use its defaults)");
      throw new ScenarioException(source, p.list());
    }
    mqtt.validate(p);
    devices.validate(p);
    rate.validate(p);
    payload.validate(p);
    for (int i = 0; i < bursts.size(); i++) {
      bursts.get(i).validate(p, "bursts[" + i + "]");
    }
    churn.validate(p, mqtt);
    will.validate(p);
    p.require(duration == null || duration.toMillis() > 0, "duration", "must be above 0s when set");
    p.require(count == null || count > 0, "count", "must be greater than 0 when set");
    p.require(
        drainTimeout != null && !drainTimeout.isNegative(), "drainTimeout", "must be 0s or more");
    if (!p.list().isEmpty()) {
      throw new ScenarioException(source, p.list());
    }
    return this;
  }
}
