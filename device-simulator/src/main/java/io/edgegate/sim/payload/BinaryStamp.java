package io.edgegate.sim.payload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The fixed header that carries the {@link Stamp} at the start of binary payloads (so that MQTT
 * 3.1.1, which has no user properties, can be audited too). Big-endian:
 *
 * <pre>
 *   0  4  magic 'E' 'G' 'S' 0x01 (the last byte is the layout version)
 *   4  1  run id length R (UTF-8 bytes)
 *   5  R  run id
 *   .  2  device id length D
 *   .  D  device id
 *   .  8  sequence number
 *   .  8  send time, epoch milliseconds
 * </pre>
 *
 * Stateless; thread-safe.
 */
public final class BinaryStamp {
  static final byte[] MAGIC = {'E', 'G', 'S', 1};

  private BinaryStamp() {}

  /** Bytes the header takes for these ids. */
  public static int size(String runId, String deviceId) {
    return MAGIC.length
        + 1
        + runId.getBytes(StandardCharsets.UTF_8).length
        + 2
        + deviceId.getBytes(StandardCharsets.UTF_8).length
        + 16;
  }

  /** Writes the header at the start of {@code out}; returns its length. */
  public static int write(Stamp stamp, byte[] out) {
    byte[] run = stamp.runId().getBytes(StandardCharsets.UTF_8);
    byte[] device = stamp.deviceId().getBytes(StandardCharsets.UTF_8);
    if (run.length > 255 || device.length > 65535) {
      throw new IllegalArgumentException("run or device id too long for the binary stamp");
    }
    ByteBuffer b = ByteBuffer.wrap(out);
    b.put(MAGIC).put((byte) run.length).put(run);
    b.putShort((short) device.length).put(device);
    b.putLong(stamp.seq()).putLong(stamp.sentAtMillis());
    return b.position();
  }

  public static boolean matches(byte[] payload) {
    if (payload == null || payload.length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (payload[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** The stamp of a payload that {@link #matches}; null if it is cut short. */
  public static Stamp read(byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(payload);
    b.position(MAGIC.length);
    if (b.remaining() < 1) {
      return null;
    }
    int runLength = b.get() & 0xff;
    if (b.remaining() < runLength + 2) {
      return null;
    }
    String run = new String(payload, b.position(), runLength, StandardCharsets.UTF_8);
    b.position(b.position() + runLength);
    int deviceLength = b.getShort() & 0xffff;
    if (b.remaining() < deviceLength + 16) {
      return null;
    }
    String device = new String(payload, b.position(), deviceLength, StandardCharsets.UTF_8);
    b.position(b.position() + deviceLength);
    return new Stamp(run, device, b.getLong(), b.getLong());
  }
}
