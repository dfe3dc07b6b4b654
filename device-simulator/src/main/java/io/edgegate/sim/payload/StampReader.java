package io.edgegate.sim.payload;

/** Finds the {@link Stamp} in a payload of either kind. Thread-safe. */
public final class StampReader {
  private StampReader() {}

  /** The stamp, or null if the payload was not made by the simulator. */
  public static Stamp read(byte[] payload) {
    if (payload == null || payload.length == 0) {
      return null;
    }
    if (BinaryStamp.matches(payload)) {
      return BinaryStamp.read(payload);
    }
    for (byte b : payload) {
      if (b == '{') {
        return JsonStamp.read(payload);
      }
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return null;
      }
    }
    return null;
  }
}
