package io.edgegate.sim.scenario;

/**
 * {@code will.*}: the Last Will each device registers in CONNECT; the broker publishes it when the
 * connection ends without a normal DISCONNECT.
 */
public final class WillSettings {
  /** Unset: no will. {@code {deviceId}} is replaced by the device's id. */
  public String topic;

  public String payload = "{\"status\":\"offline\"}";

  public int qos = 1;

  public boolean retain;

  public boolean enabled() {
    return topic != null;
  }

  void validate(Problems p) {
    if (topic != null) {
      TopicTemplate.validate(topic, "will.topic", p);
    }
    p.require(payload != null, "will.payload", "must be set");
    p.range(qos, 0, 2, "will.qos");
  }
}
