package io.edgegate.gateway.journal;

/**
 * The journal will not take this event now: its memory budget for pending appends is used up. The
 * event was not written; the device is not acknowledged and may send it again.
 */
public final class JournalFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JournalFullException(long askedBytes, long pendingBytes, long limitBytes) {
    super(
        "journal append of "
            + askedBytes
            + " bytes refused: "
            + pendingBytes
            + " bytes already wait to be appended, limit "
            + limitBytes
            + " (journal.maxPendingBytes)");
  }

  /** Refused because the journal is at its disk limit ({@code why} says which). */
  public JournalFullException(String why) {
    super("journal append refused: " + why);
  }
}
