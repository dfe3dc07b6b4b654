package io.edgegate.gateway.journal;

import java.nio.file.Path;

/**
 * A read-only view cannot find its way in a journal: a file is truncated or corrupt where an index
 * or position look-up needs it. The gateway's start repairs such a journal; reading it entry by
 * entry ({@code journal dump}) still shows what is readable.
 */
public final class JournalUnreadableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JournalUnreadableException(Path dir, String what, Throwable cause) {
    super(
        "the journal in "
            + dir.toAbsolutePath().normalize()
            + " cannot be read "
            + what
            + " ("
            + cause
            + "): a file is damaged; `edgegate journal dump` shows what is readable, the"
            + " gateway's next start repairs it",
        cause);
  }
}
