package io.edgegate.sim.payload;

import java.util.SplittableRandom;

/**
 * Binary payloads: the {@link BinaryStamp} header, then filler. {@code random} fills with random
 * bytes of a size drawn uniformly from [min, max] (a payload smaller than the header is the header
 * alone); {@code fixed} pads with a repeating pattern to exactly the size, which costs almost
 * nothing to generate. Not thread-safe.
 */
public final class BinaryPayloads implements PayloadSource {
  private final SplittableRandom random;
  private final int minSize;
  private final int maxSize;
  private final boolean randomFill;

  private BinaryPayloads(SplittableRandom random, int minSize, int maxSize, boolean randomFill) {
    this.random = random;
    this.minSize = minSize;
    this.maxSize = maxSize;
    this.randomFill = randomFill;
  }

  public static BinaryPayloads random(SplittableRandom random, int minSize, int maxSize) {
    return new BinaryPayloads(random, minSize, maxSize, true);
  }

  /** Exactly {@code size} bytes; the caller checked that the header fits. */
  public static BinaryPayloads fixed(int size) {
    return new BinaryPayloads(null, size, size, false);
  }

  @Override
  public byte[] next(Stamp stamp) {
    int size = minSize == maxSize ? minSize : minSize + random.nextInt(maxSize - minSize + 1);
    byte[] out = new byte[Math.max(size, BinaryStamp.size(stamp.runId(), stamp.deviceId()))];
    int header = BinaryStamp.write(stamp, out);
    if (randomFill) {
      for (int i = header; i < out.length; i += 8) {
        long r = random.nextLong();
        for (int j = 0; j < 8 && i + j < out.length; j++) {
          out[i + j] = (byte) (r >>> (j * 8));
        }
      }
    } else {
      for (int i = header; i < out.length; i++) {
        out[i] = (byte) ('a' + (i % 26));
      }
    }
    return out;
  }

  @Override
  public String contentType() {
    return "application/octet-stream";
  }
}
