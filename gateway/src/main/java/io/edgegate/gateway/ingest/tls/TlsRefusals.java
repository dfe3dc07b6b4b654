package io.edgegate.gateway.ingest.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * The {@code reason} tag of a TLS handshake the listener refused, by exception type. The JDK does
 * not tell apart by type an offered protocol version it does not speak, a missing client
 * certificate or no common cipher: those are {@link #HANDSHAKE_FAILED}, and the log line carries
 * the JDK's own words.
 */
public final class TlsRefusals {
  /** Not TLS at all: plain MQTT (or anything else) on the TLS port. */
  public static final String NOT_TLS = "tls-not-tls";

  /**
   * No complete handshake within {@code mqtt.connectTimeout}, e.g. a connection that never starts.
   */
  public static final String HANDSHAKE_TIMEOUT = "tls-handshake-timeout";

  /** The client certificate is not signed by {@code mqtt.tls.clientCaFile}, revoked or expired. */
  public static final String BAD_CERTIFICATE = "tls-bad-certificate";

  /** TLS 1.0/1.1 (or another version not offered), no client certificate, no common cipher. */
  public static final String HANDSHAKE_FAILED = "tls-handshake-failed";

  /**
   * The device closed the connection during the handshake: a TCP probe, or a device that gave up
   * (some close without an alert when they do not trust the server certificate).
   */
  public static final String CLOSED_IN_HANDSHAKE = "tls-closed-in-handshake";

  /** What else ends a handshake (the connection reset during it, ...). */
  public static final String TLS_ERROR = "tls-error";

  private TlsRefusals() {}

  /** Every tag {@link #reason} returns. */
  public static final java.util.List<String> ALL =
      java.util.List.of(
          NOT_TLS,
          HANDSHAKE_TIMEOUT,
          BAD_CERTIFICATE,
          HANDSHAKE_FAILED,
          CLOSED_IN_HANDSHAKE,
          TLS_ERROR);

  /** The tag for {@code e}, what the listener's TCP server reported about a failed handshake. */
  public static String reason(Throwable e) {
    if (e instanceof NotSslRecordException) {
      return NOT_TLS;
    }
    if (e instanceof SslHandshakeTimeoutException) {
      return HANDSHAKE_TIMEOUT;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CertificateException || c instanceof CertPathValidatorException) {
        return BAD_CERTIFICATE;
      }
    }
    for (Throwable s : e.getSuppressed()) {
      if (s instanceof java.nio.channels.ClosedChannelException) {
        return CLOSED_IN_HANDSHAKE; // Netty's "closed while the handshake was in progress"
      }
    }
    if (e instanceof java.nio.channels.ClosedChannelException) {
      return CLOSED_IN_HANDSHAKE;
    }
    return e instanceof SSLException ? HANDSHAKE_FAILED : TLS_ERROR;
  }
}
