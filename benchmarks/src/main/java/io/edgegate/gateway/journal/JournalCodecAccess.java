package io.edgegate.gateway.journal;

import net.openhft.chronicle.bytes.Bytes;

/**
 * The entry codec for the micro-benchmarks, which live outside the journal package: the codec is
 * package-private there because nothing but the journal's own writer and readers may use it.
 */
public final class JournalCodecAccess {
  private JournalCodecAccess() {}

  public static void write(Bytes<?> out, JournalEvent e) {
    JournalCodec.write(out, e);
  }

  public static JournalEvent read(Bytes<?> in, long index) {
    return JournalCodec.read(in, index);
  }
}
