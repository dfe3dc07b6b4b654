package io.edgegate.gateway.journal;

/** A journal entry that cannot be decoded (a torn write, bit rot, or an unknown format). */
public final class CorruptEntryException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long index;

  public CorruptEntryException(long index, String problem) {
    super("journal entry " + Long.toHexString(index) + " cannot be decoded: " + problem);
    this.index = index;
  }

  public long index() {
    return index;
  }
}
