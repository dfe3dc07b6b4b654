package io.edgegate.sim.payload;

/**
 * What makes a message auditable: which run and device sent it, the device's sequence number (0, 1,
 * 2, … per device and run, in publish order) and the send time (epoch milliseconds).
 *
 * <p>It travels in the payload (JSON fields, or {@link BinaryStamp the binary header}) so that it
 * survives any MQTT-to-Kafka path, and in MQTT 5 user properties ({@link #USER_PROPERTY_RUN} …) for
 * paths that map those to Kafka headers.
 */
public record Stamp(String runId, String deviceId, long seq, long sentAtMillis) {
  public static final String USER_PROPERTY_RUN = "sim-run";
  public static final String USER_PROPERTY_DEVICE = "sim-device";
  public static final String USER_PROPERTY_SEQ = "sim-seq";
  public static final String USER_PROPERTY_SENT_AT = "sim-sent-at";

  /** JSON field names. */
  public static final String FIELD_RUN = "run";

  public static final String FIELD_DEVICE = "device";
  public static final String FIELD_SEQ = "seq";
  public static final String FIELD_SENT_AT = "sentAt";
}
