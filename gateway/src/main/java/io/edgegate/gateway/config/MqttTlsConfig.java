package io.edgegate.gateway.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code mqtt.tls.*}: TLS on the device listener, and client certificates (mutual TLS).
 *
 * <p>Plain TCP is used only when chosen: if {@code mqtt.host} is not a loopback address, the
 * gateway does not start until {@code enabled} is set, {@code true} (TLS) or {@code false} (plain
 * TCP, for a network that is protected otherwise). On loopback (demo, tests, a local bridge) an
 * unset {@code enabled} means plain TCP.
 */
public final class MqttTlsConfig {
  /** The protocol versions the listener can be limited to; older ones are never offered. */
  public static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /** Whether client certificates are asked for during the handshake. */
  public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /** Asked for; a device without one still connects (and authenticates otherwise). */
    OPTIONAL,
    /** Mandatory: the handshake fails without a certificate signed by {@code clientCaFile}. */
    REQUIRED
  }

  /** Which field of a verified client certificate is the device id. */
  public enum DeviceIdFrom {
    /** The certificate only proves membership of the CA; the id comes from elsewhere. */
    NONE,
    /** The subject's common name (CN). */
    CN,
    /** The first DNS name among the subject alternative names. */
    SAN_DNS,
    /** The first URI among the subject alternative names (e.g. a SPIFFE id). */
    SAN_URI,
    /** The first e-mail address (rfc822Name) among the subject alternative names. */
    SAN_EMAIL
  }

  @KeyDoc(
      "`true`: the device listener speaks TLS only; `false`: plain TCP. Must be set "
          + "when `mqtt.host` is not a loopback address (see `mqtt.tls`).")
  public Boolean enabled;

  @KeyDoc("The server certificate chain, PEM, leaf first. Required when `enabled`.")
  public Path certFile;

  @KeyDoc("The server's private key, PEM (PKCS#8, or PKCS#1 for RSA). Required when `enabled`.")
  public Path keyFile;

  @KeyDoc("TLS versions offered: `TLSv1.3` and/or `TLSv1.2`; nothing older is allowed.")
  public List<String> protocols = new ArrayList<>(List.of("TLSv1.3", "TLSv1.2"));

  @KeyDoc("Client certificates: `none`, `optional` or `required`.")
  public ClientAuth clientAuth = ClientAuth.NONE;

  @KeyDoc("PEM file of the CA certificate(s) that sign device certificates; needed for clientAuth.")
  public Path clientCaFile;

  @KeyDoc(
      "A CRL (PEM or DER) of revoked device certificates, issued by a CA of "
          + "`clientCaFile`: a device presenting a revoked certificate fails the handshake. "
          + "Needs `clientAuth`.")
  public Path crlFile;

  @KeyDoc(
      "How often `certFile`, `keyFile`, `clientCaFile` and `crlFile` are checked for "
          + "changes. A changed set is checked (parses, key matches certificate) and then "
          + "serves new handshakes; open connections keep theirs. A bad set is reported and "
          + "the one in force stays.")
  @com.fasterxml.jackson.databind.annotation.JsonDeserialize(
      using = ConfigValues.DurationDeserializer.class)
  public java.time.Duration reloadInterval = java.time.Duration.ofSeconds(5);

  @KeyDoc(
      "The certificate field that is the device id: `none`, `cn`, `san_dns`, `san_uri`,"
          + " `san_email`. With a value other than `none` a device that presents a "
          + "certificate is authenticated by it: its MQTT client id must equal that field (an"
          + " empty client id is given it), and ACL rules can use `{cert.cn}`, `{cert.san}` "
          + "and `{identity}`.")
  public DeviceIdFrom deviceIdFrom = DeviceIdFrom.NONE;

  /** True when TLS was chosen explicitly. */
  public boolean on() {
    return Boolean.TRUE.equals(enabled);
  }

  /** True when verified client certificates can identify devices. */
  public boolean identifiesDevices() {
    return on() && clientAuth != ClientAuth.NONE && deviceIdFrom != DeviceIdFrom.NONE;
  }

  void validate(Problems problems) {
    if (!on()) {
      return;
    }
    problems.require(certFile != null, "mqtt.tls.certFile", "must be set when TLS is enabled");
    problems.require(keyFile != null, "mqtt.tls.keyFile", "must be set when TLS is enabled");
    problems.require(
        protocols != null
            && !protocols.isEmpty()
            && protocols.stream().allMatch(ALLOWED_PROTOCOLS::contains),
        "mqtt.tls.protocols",
        "must list TLSv1.3 and/or TLSv1.2 only (was " + protocols + ")");
    problems.require(
        clientAuth != null, "mqtt.tls.clientAuth", "must be none, optional or required");
    problems.require(
        clientAuth == null || clientAuth == ClientAuth.NONE || clientCaFile != null,
        "mqtt.tls.clientCaFile",
        "must be set when mqtt.tls.clientAuth is "
            + String.valueOf(clientAuth).toLowerCase(Locale.ROOT)
            + " (the CA that signs device certificates)");
    problems.require(
        crlFile == null || (clientAuth != null && clientAuth != ClientAuth.NONE),
        "mqtt.tls.crlFile",
        "needs mqtt.tls.clientAuth optional or required (no certificate is asked for)");
    problems.require(
        reloadInterval != null && reloadInterval.toMillis() >= 100,
        "mqtt.tls.reloadInterval",
        "must be at least 100ms");
    problems.require(
        deviceIdFrom == null
            || deviceIdFrom == DeviceIdFrom.NONE
            || (clientAuth != null && clientAuth != ClientAuth.NONE),
        "mqtt.tls.deviceIdFrom",
        "needs mqtt.tls.clientAuth optional or required (no certificate is asked for)");
  }

  /** True for {@code localhost}, {@code 127.x.x.x} and {@code ::1}, without a name lookup. */
  public static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.startsWith("127.")
        || h.equals("::1")
        || h.equals("[::1]")
        || h.equals("0:0:0:0:0:0:0:1");
  }
}
