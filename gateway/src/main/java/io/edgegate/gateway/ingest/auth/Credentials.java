package io.edgegate.gateway.ingest.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password file as the gateway uses it: the entries in force, reloaded when the file changes
 * ({@link #reloadIfChanged}), and the slow check of a password ({@link #verify}). Both block: call
 * them on worker threads, never on an event loop. Thread-safe: a reload swaps the entries in one
 * step, so a check sees either the old file or the new one.
 */
public final class Credentials {
  private static final Logger log = LoggerFactory.getLogger(Credentials.class);

  private final Path file;
  private final byte[] unknownUserHash; // checked for unknown users: same time as a known one
  private volatile PasswordFile entries;
  private volatile Stamp stamp;

  private record Stamp(Object fileKey, long modified, long size) {}

  private Credentials(Path file, PasswordFile entries, Stamp stamp) {
    this.file = file;
    this.entries = entries;
    this.stamp = stamp;
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    this.unknownUserHash =
        BCrypt.with(BCrypt.Version.VERSION_2Y).hash(PasswordFile.DEFAULT_COST, random);
  }

  /** Reads {@code file}; fails if it is missing or malformed (the gateway does not start). */
  public static Credentials load(Path file) throws IOException {
    Stamp stamp = stamp(file);
    return new Credentials(file, PasswordFile.read(file), stamp);
  }

  /** Credentials from entries in memory (tests); {@link #reloadIfChanged} then reads nothing. */
  public static Credentials of(PasswordFile entries) {
    return new Credentials(null, entries, null);
  }

  /**
   * Reads the file again if its size, time or identity (a replaced file, e.g. a Kubernetes secret)
   * changed. A file that cannot be read or parsed leaves the entries in force, and says why without
   * quoting it. Returns true when new entries are in force.
   */
  public boolean reloadIfChanged() {
    if (file == null) {
      return false;
    }
    Stamp now;
    try {
      now = stamp(file);
    } catch (IOException e) {
      if (stamp != null) {
        log.error(
            "Password file {} cannot be read ({}); keeping its previous {} entries",
            file,
            e,
            entries.size());
        stamp = null;
      }
      return false;
    }
    if (now.equals(stamp)) {
      return false;
    }
    try {
      PasswordFile fresh = PasswordFile.read(file);
      entries = fresh;
      stamp = now;
      log.info("Password file {} reloaded: {} users", file, fresh.size());
      return true;
    } catch (IOException | PasswordFile.BadPasswordFile e) {
      stamp = now; // report a bad edit once, not at every check
      log.error(
          "Password file {} not reloaded, keeping the previous {} entries: {}",
          file,
          entries.size(),
          e.getMessage());
      return false;
    }
  }

  /**
   * True if {@code password} is {@code user}'s. Slow by design (bcrypt): worker threads only. An
   * unknown user costs the same time as a known one, so timing does not tell which users exist.
   */
  public boolean verify(String user, byte[] password) {
    byte[] hash = user == null ? null : entries.hash(user);
    if (password == null) {
      return false;
    }
    try {
      boolean ok =
          BCrypt.verifyer().verify(password, hash != null ? hash : unknownUserHash).verified;
      return ok && hash != null;
    } catch (IllegalArgumentException e) {
      return false; // e.g. a password longer than bcrypt's 72 bytes: it cannot be the right one
    }
  }

  public int users() {
    return entries.size();
  }

  private static Stamp stamp(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return new Stamp(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
  }
}
