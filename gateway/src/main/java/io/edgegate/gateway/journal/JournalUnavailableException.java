package io.edgegate.gateway.journal;

/** The journal could not write or sync an event (disk error, unwritable directory, closed). */
public final class JournalUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JournalUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
