package io.edgegate.sim.scenario;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** {@code payload.*}: what each message carries besides its audit stamp. */
public final class PayloadSettings {
  public static final long MAX_SIZE = 256L * 1024 * 1024; // MQTT's packet size limit

  public enum Profile {
    /** JSON telemetry: temperature and humidity random walks, battery drain, GPS drift, RSSI. */
    JSON,
    /** The binary stamp header followed by random bytes, size uniform in [minSize, maxSize]. */
    BINARY,
    /** The binary stamp header padded to exactly {@code size} bytes (cheapest to generate). */
    FIXED;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Profile profile = Profile.JSON;

  /** {@code json}: pad each document to at least this many bytes; {@code fixed}: exact size. */
  @JsonDeserialize(using = Values.SizeDeserializer.class)
  public Long size;

  @JsonDeserialize(using = Values.SizeDeserializer.class)
  public long minSize = 64;

  @JsonDeserialize(using = Values.SizeDeserializer.class)
  public long maxSize = 1024;

  /** The exact size of {@code fixed} payloads: {@code size}, else 256 bytes. */
  public int fixedSize() {
    return size == null ? 256 : (int) (long) size;
  }

  void validate(Problems p) {
    p.require(
        size == null || (size >= 0 && size <= MAX_SIZE),
        "payload.size",
        "must be from 0 to 256MiB (was " + size + ")");
    if (profile == Profile.BINARY) {
      p.require(
          minSize >= 0 && minSize <= maxSize,
          "payload.minSize",
          "must be from 0 to payload.maxSize (was " + minSize + ")");
      p.require(
          maxSize <= MAX_SIZE, "payload.maxSize", "must be at most 256MiB (was " + maxSize + ")");
    }
  }
}
