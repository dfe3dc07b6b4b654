package io.edgegate.gateway.config;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code admin.auth.*}: credentials the admin endpoints ask for, as Prometheus sends them ({@code
 * authorization: {credentials_file: …}} for a bearer token, {@code basic_auth} for a user name and
 * password). Off when neither is set. With both set, either is accepted. Secrets belong in files:
 * {@code bearerToken: ${file:/etc/edgegate/admin-token}}; they are read at start.
 */
public final class AdminAuthConfig {
  @KeyDoc("A request must carry `Authorization: Bearer <this>`; at least 16 characters.")
  public String bearerToken;

  @KeyDoc("With `password`: `Authorization: Basic` with this user name is accepted.")
  public String username;

  @KeyDoc("The password of `username`.")
  public String password;

  @KeyDoc(
      "Paths served without credentials: by default `/health/live`, which says only "
          + "that the process answers (container and systemd probes rarely carry "
          + "credentials).")
  public List<String> openPaths = new ArrayList<>(List.of("/health/live"));

  /** True when the endpoints ask for credentials. */
  public boolean on() {
    return bearerToken != null || username != null;
  }

  void validate(Problems problems) {
    problems.require(
        bearerToken == null || bearerToken.trim().length() >= 16,
        "admin.auth.bearerToken",
        "must be at least 16 characters (a guessable token protects nothing)");
    problems.require(
        (username == null) == (password == null),
        username == null ? "admin.auth.username" : "admin.auth.password",
        "must be set together with admin.auth." + (username == null ? "password" : "username"));
    problems.require(
        username == null || (!username.isEmpty() && username.indexOf(':') < 0),
        "admin.auth.username",
        "must not be empty or hold ':' (HTTP basic authentication)");
    problems.require(
        password == null || !password.isEmpty(), "admin.auth.password", "must not be empty");
    problems.require(
        openPaths != null && openPaths.stream().allMatch(p -> p != null && p.startsWith("/")),
        "admin.auth.openPaths",
        "must be a list of paths starting with / (was " + openPaths + ")");
  }
}
