package io.edgegate.gateway.ingest.tls;

import io.edgegate.gateway.ingest.stats.ConnectionRefusal;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The reason a TLS handshake the listener refused is counted under, by exception type. The JDK does
 * not tell apart by type an offered protocol version it does not speak, a missing client
 * certificate or no common cipher: those are {@link ConnectionRefusal#TLS_HANDSHAKE_FAILED}, and
 * the log line carries the JDK's own words.
 */
public final class TlsRefusals {
  private TlsRefusals() {}

  /** Every reason {@link #reason} returns. */
  public static final List<ConnectionRefusal> ALL =
      List.of(
          ConnectionRefusal.TLS_NOT_TLS,
          ConnectionRefusal.TLS_HANDSHAKE_TIMEOUT,
          ConnectionRefusal.TLS_BAD_CERTIFICATE,
          ConnectionRefusal.TLS_HANDSHAKE_FAILED,
          ConnectionRefusal.TLS_CLOSED_IN_HANDSHAKE,
          ConnectionRefusal.TLS_ERROR);

  /** The reason for {@code e}, what the listener's TCP server reported about a failed handshake. */
  public static ConnectionRefusal reason(Throwable e) {
    if (e instanceof NotSslRecordException) {
      return ConnectionRefusal.TLS_NOT_TLS;
    }
    if (e instanceof SslHandshakeTimeoutException) {
      return ConnectionRefusal.TLS_HANDSHAKE_TIMEOUT;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CertificateException || c instanceof CertPathValidatorException) {
        return ConnectionRefusal.TLS_BAD_CERTIFICATE;
      }
    }
    for (Throwable s : e.getSuppressed()) {
      if (s instanceof java.nio.channels.ClosedChannelException) {
        // Netty's "closed while the handshake was in progress"
        return ConnectionRefusal.TLS_CLOSED_IN_HANDSHAKE;
      }
    }
    if (e instanceof java.nio.channels.ClosedChannelException) {
      return ConnectionRefusal.TLS_CLOSED_IN_HANDSHAKE;
    }
    return e instanceof SSLException
        ? ConnectionRefusal.TLS_HANDSHAKE_FAILED
        : ConnectionRefusal.TLS_ERROR;
  }
}
