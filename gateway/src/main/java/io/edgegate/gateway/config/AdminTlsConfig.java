package io.edgegate.gateway.config;

import java.nio.file.Path;

/**
 * {@code admin.tls.*}: HTTPS for the admin endpoints (Prometheus {@code scheme: https} with {@code
 * tls_config.ca_file}). Off unless {@code enabled}; TLS 1.3 and 1.2 only.
 */
public final class AdminTlsConfig {
  @KeyDoc("Serve HTTPS instead of HTTP.")
  public boolean enabled;

  @KeyDoc("The server certificate chain, PEM, leaf first. Required when `enabled`.")
  public Path certFile;

  @KeyDoc("The server's private key, PEM. Required when `enabled`.")
  public Path keyFile;

  void validate(Problems problems) {
    if (!enabled) {
      return;
    }
    problems.require(certFile != null, "admin.tls.certFile", "must be set when TLS is enabled");
    problems.require(keyFile != null, "admin.tls.keyFile", "must be set when TLS is enabled");
  }
}
