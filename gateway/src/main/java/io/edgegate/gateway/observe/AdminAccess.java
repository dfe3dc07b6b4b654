package io.edgegate.gateway.observe;

import io.edgegate.gateway.config.AdminAuthConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Who may read the admin endpoints: {@code Authorization: Bearer} with {@code
 * admin.auth.bearerToken}, or {@code Basic} with {@code admin.auth.username} and {@code password},
 * as Prometheus sends them. Compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the
 * time taken does not tell how much of a guess was right. Immutable, thread-safe.
 */
final class AdminAccess {
  private final byte[] token; // digests; null: not accepted
  private final byte[] basic;
  private final List<String> openPaths;

  AdminAccess(AdminAuthConfig config) {
    boolean on = config != null && config.on();
    this.token = on && config.bearerToken != null ? digest(config.bearerToken.trim()) : null;
    this.basic =
        on && config.username != null ? digest(config.username + ":" + config.password) : null;
    this.openPaths = on ? List.copyOf(config.openPaths) : List.of();
  }

  boolean on() {
    return token != null || basic != null;
  }

  /** True if a request for {@code path} with this {@code Authorization} header is served. */
  boolean allows(String path, String authorization) {
    if (!on() || openPaths.contains(path)) {
      return true;
    }
    if (authorization == null) {
      return false;
    }
    int space = authorization.indexOf(' ');
    if (space < 0) {
      return false;
    }
    String scheme = authorization.substring(0, space).toLowerCase(Locale.ROOT);
    String value = authorization.substring(space + 1).trim();
    if (scheme.equals("bearer") && token != null) {
      return MessageDigest.isEqual(token, digest(value));
    }
    if (scheme.equals("basic") && basic != null) {
      try {
        String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        return MessageDigest.isEqual(basic, digest(decoded));
      } catch (IllegalArgumentException e) {
        return false; // not base64
      }
    }
    return false;
  }

  /** The {@code WWW-Authenticate} header of a 401. */
  String challenge() {
    return basic != null
        ? "Basic realm=\"edgegate\", charset=\"UTF-8\""
        : "Bearer realm=\"edgegate\"";
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
