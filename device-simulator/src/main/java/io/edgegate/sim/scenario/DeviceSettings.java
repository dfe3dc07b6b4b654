package io.edgegate.sim.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.regex.Pattern;

/** {@code devices.*}: how many devices, their ids and topics, and how they come online. */
public final class DeviceSettings {
  /** Characters allowed in ids: safe in MQTT client ids, topics, JSON and the ack record. */
  static final Pattern ID_CHARS = Pattern.compile("[A-Za-z0-9._:-]*");

  public static final int MAX_DEVICES = 1_000_000;

  public int count = 10;

  /** Device {@code i} is {@code idPrefix + (firstIndex + i)}, zero-padded: {@code sim-0001}. */
  public String idPrefix = "sim-";

  public int firstIndex = 1;

  /** Topic of each device; {@code {deviceId}} is replaced by the device's id. */
  public String topic = "devices/{deviceId}/telemetry";

  /** Publishes a device may have without an outcome (PUBACK/PUBCOMP, or written for QoS 0). */
  public int inFlight = 32;

  /** Devices connect evenly spread over this time; 0 connects all at once. */
  @JsonDeserialize(using = Values.DurationDeserializer.class)
  public Duration rampUp = Duration.ZERO;

  void validate(Problems p) {
    p.range(count, 1, MAX_DEVICES, "devices.count");
    p.require(
        idPrefix != null && ID_CHARS.matcher(idPrefix).matches() && idPrefix.length() <= 64,
        "devices.idPrefix",
        "must be at most 64 of the characters A-Z a-z 0-9 . _ : - (was '" + idPrefix + "')");
    p.range(firstIndex, 0, Integer.MAX_VALUE - MAX_DEVICES, "devices.firstIndex");
    TopicTemplate.validate(topic, "devices.topic", p);
    p.range(inFlight, 1, 65535, "devices.inFlight");
    p.require(rampUp != null && !rampUp.isNegative(), "devices.rampUp", "must be 0s or more");
  }
}
