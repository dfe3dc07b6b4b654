package io.edgegate.gateway.ingest.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A credentials file: one {@code user:hash} per line, the hash bcrypt in its modular crypt form
 * ({@code $2y$10$…}, as {@code htpasswd -B} writes it); blank lines and lines starting with {@code
 * #} are ignored. Immutable; {@link #parse} reports a bad line by number only, never its content
 * (it may hold a secret).
 */
public final class PasswordFile {
  /** The cost {@code edgegate passwd} hashes with: 2^10 rounds, about 50–100 ms per check. */
  public static final int DEFAULT_COST = 10;

  static final int MAX_BYTES = 16 * 1024 * 1024;
  private static final Pattern USER = Pattern.compile("[^:\\s#][^:\\s]{0,254}");
  private static final Pattern BCRYPT = Pattern.compile("\\$2[abxy]\\$\\d\\d\\$[./A-Za-z0-9]{53}");

  private final Map<String, byte[]> hashes;

  private PasswordFile(Map<String, byte[]> hashes) {
    this.hashes = Collections.unmodifiableMap(hashes);
  }

  /** An empty file. */
  public static PasswordFile empty() {
    return new PasswordFile(new LinkedHashMap<>());
  }

  /** Reads {@code file}; a missing, unreadable or malformed file is a {@link BadPasswordFile}. */
  public static PasswordFile read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new BadPasswordFile(file + ": " + size + " bytes, at most " + MAX_BYTES + " allowed");
    }
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Parses the text of a password file; {@code source} names it in messages. */
  public static PasswordFile parse(String source, String text) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String user = colon < 0 ? "" : line.substring(0, colon);
      String hash = colon < 0 ? "" : line.substring(colon + 1);
      if (!USER.matcher(user).matches()) {
        throw new BadPasswordFile(
            source + ": line " + (i + 1) + ": expected user:hash (user without ':' or spaces)");
      }
      if (!BCRYPT.matcher(hash).matches()) {
        throw new BadPasswordFile(
            source
                + ": line "
                + (i + 1)
                + ": the hash of user '"
                + user
                + "' is not bcrypt ($2a$/$2b$/$2y$); plain or fast hashes are not accepted");
      }
      if (out.put(user, hash.getBytes(StandardCharsets.US_ASCII)) != null) {
        throw new BadPasswordFile(source + ": line " + (i + 1) + ": user '" + user + "' repeated");
      }
    }
    return new PasswordFile(out);
  }

  /** The stored hash of {@code user}, or null. */
  byte[] hash(String user) {
    return hashes.get(user);
  }

  public int size() {
    return hashes.size();
  }

  public boolean contains(String user) {
    return hashes.containsKey(user);
  }

  /** A copy with {@code user}'s password set (hashed here, with a fresh salt, at {@code cost}). */
  public PasswordFile with(String user, char[] password, int cost) {
    if (user == null || !USER.matcher(user).matches()) {
      throw new IllegalArgumentException(
          "a user name must be 1 to 255 characters without ':' or spaces, not starting with '#'");
    }
    byte[] hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hash(cost, password);
    Map<String, byte[]> copy = new LinkedHashMap<>(hashes);
    copy.put(user, hash);
    return new PasswordFile(copy);
  }

  /** A copy without {@code user}. */
  public PasswordFile without(String user) {
    Map<String, byte[]> copy = new LinkedHashMap<>(hashes);
    copy.remove(user);
    return new PasswordFile(copy);
  }

  /** The file's text. */
  public String text() {
    StringBuilder out = new StringBuilder();
    hashes.forEach(
        (user, hash) ->
            out.append(user)
                .append(':')
                .append(new String(hash, StandardCharsets.US_ASCII))
                .append('\n'));
    return out.toString();
  }

  /**
   * Writes to {@code file} atomically (a temporary file beside it, then a rename): a reader never
   * sees half a file. An existing file keeps its owner, group and mode (a gateway running as
   * another user must still read it after {@code sudo edgegate passwd}); a new one gets mode 0640
   * and the group of its directory, so {@code root:edgegate 0750 /etc/edgegate} gives {@code
   * root:edgegate 0640}. The attributes are set on the temporary file, before the rename.
   */
  public void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("another writer is updating " + file, e);
    }
    try {
      Files.writeString(tmp, text(), StandardCharsets.UTF_8);
      keepAttributes(Files.exists(file) ? file : null, dir, tmp);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Owner, group and mode of {@code existing} (or: the directory's group, 0640) onto {@code tmp}.
   */
  private static void keepAttributes(Path existing, Path dir, Path tmp) throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return; // no POSIX attributes here (Windows): the file system's defaults apply
    }
    if (existing == null) {
      view.setGroup(Files.readAttributes(dir, PosixFileAttributes.class).group());
      view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
      return;
    }
    PosixFileAttributes old = Files.readAttributes(existing, PosixFileAttributes.class);
    if (!old.owner().equals(view.readAttributes().owner())) {
      view.setOwner(old.owner()); // only root may; anyone else writes a file they own already
    }
    view.setGroup(old.group());
    view.setPermissions(old.permissions());
  }

  /** The users, in file order. */
  public List<String> users() {
    return new ArrayList<>(hashes.keySet());
  }

  /** A password file that cannot be used; the message says where, never what. */
  public static final class BadPasswordFile extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BadPasswordFile(String message) {
      super(message);
    }
  }
}
