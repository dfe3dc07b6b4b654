package io.edgegate.gateway.journal;

import java.nio.file.Path;

/** A directory named as a journal that holds none (wrong path, or no gateway ran there yet). */
public final class JournalNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Path dir;

  public JournalNotFoundException(Path dir, String found) {
    super("no journal in " + dir.toAbsolutePath().normalize() + ": " + found);
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }
}
