package io.edgegate.gateway.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Reads the files a configuration names, as the user that runs the gateway: a problem names the
 * key, the file and the cause (with owner and mode when it cannot be read), never the content.
 */
public final class ConfigFiles {
  /** Larger files are not configuration (certificates, keys and password files are small). */
  private static final long MAX_BYTES = 16L << 20;

  private ConfigFiles() {}

  /** The content of {@code file}, or null with a problem for {@code key}. */
  public static byte[] read(Path file, String key, Problems problems) {
    try {
      if (Files.isDirectory(file)) {
        problems.add(key, file + ": is a directory, not a file");
        return null;
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        problems.add(key, file + ": " + size + " bytes, more than a configuration file holds");
        return null;
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      problems.add(key, file + ": file not found");
    } catch (AccessDeniedException e) {
      problems.add(key, file + ": cannot be read by user " + user() + describe(file));
    } catch (IOException e) {
      problems.add(key, file + ": cannot be read: " + e.getMessage());
    }
    return null;
  }

  /**
   * Checks that {@code dir} is a directory this user can write, or can be created: a missing
   * directory is fine when its nearest existing parent is a directory (systemd's {@code
   * StateDirectory=} creates it only at start).
   */
  public static void writableDirectory(Path dir, String key, Problems problems) {
    Path d = dir.toAbsolutePath().normalize();
    if (Files.exists(d)) {
      if (!Files.isDirectory(d)) {
        problems.add(key, dir + ": exists and is not a directory");
      } else if (!Files.isWritable(d)) {
        problems.add(key, dir + ": cannot be written by user " + user() + describe(d));
      }
      return;
    }
    Path parent = d.getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent != null && !Files.isDirectory(parent)) {
      problems.add(key, dir + ": cannot be created: " + parent + " is not a directory");
    }
  }

  /** {@code " (owner root:edgegate, mode rw-r-----)"}, or empty where POSIX attributes are not. */
  static String describe(Path file) {
    try {
      PosixFileAttributes a =
          Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return " (owner "
          + a.owner().getName()
          + ":"
          + a.group().getName()
          + ", mode "
          + PosixFilePermissions.toString(a.permissions())
          + ")";
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }

  private static String user() {
    return System.getProperty("user.name", "?");
  }
}
