package io.edgegate.sim.payload;

/**
 * Makes one device's payloads. Each instance belongs to one device and is used by one thread at a
 * time (the simulator's pacer): <b>not thread-safe</b>.
 */
public interface PayloadSource {
  /** A new payload carrying {@code stamp}; the caller owns the array. */
  byte[] next(Stamp stamp);

  /** MQTT 5 content type of these payloads. */
  String contentType();
}
