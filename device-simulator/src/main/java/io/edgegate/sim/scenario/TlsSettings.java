package io.edgegate.sim.scenario;

import java.nio.file.Path;

/** {@code mqtt.tls.*}: TLS towards the broker, optionally with a client certificate. */
public final class TlsSettings {
  public boolean enabled;

  /**
   * Certificates to trust: a PEM file of one or more certificates ({@code .pem}, {@code .crt}) or a
   * PKCS12/JKS key store. Unset: the JDK's default trust store.
   */
  public Path trustStore;

  public String trustStorePassword;

  /** Client certificate and key (mutual TLS): a PKCS12 or JKS key store. */
  public Path keyStore;

  public String keyStorePassword;

  /** Check that the broker's certificate names {@code mqtt.host}. Off only for test set-ups. */
  public boolean hostnameVerification = true;

  void validate(Problems p) {
    // The stores themselves are read (and their problems reported) when the run starts.
    p.require(
        enabled || (trustStore == null && keyStore == null),
        "mqtt.tls.enabled",
        "trust or key store given but TLS is not enabled");
  }
}
