package io.edgegate.gateway.ingest.tls;

import io.edgegate.gateway.config.MqttTlsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.mqtt.MqttServerOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device listener's TLS files as the gateway uses them: the server certificate and key, the CA
 * bundle of device certificates and the CRL of revoked ones, read and checked together ({@link
 * #load}), and read again when any of them changes ({@link #reloadIfChanged}), as the password file
 * is. A new set that does not check out (unreadable, not PEM, a key that is not the certificate's)
 * is reported once and the set in force stays. Blocking: worker threads only. Thread-safe.
 *
 * <p>The listener gets the bytes, not the paths, so what it serves is exactly what was checked,
 * even if a file changes again meanwhile.
 */
public final class TlsFiles {
  private static final Logger log = LoggerFactory.getLogger(TlsFiles.class);

  private final MqttTlsConfig config;
  private final long handshakeTimeoutMillis;
  private volatile Material material;
  private volatile List<Stamp> stamps;

  /** One checked set of files. */
  record Material(Buffer cert, Buffer key, Buffer clientCa, Buffer crl, String summary) {}

  private record Stamp(Object fileKey, long modified, long size) {}

  private TlsFiles(MqttTlsConfig config, long handshakeTimeoutMillis, Material m, List<Stamp> s) {
    this.config = config;
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    this.material = m;
    this.stamps = s;
  }

  /**
   * Reads and checks the files of {@code config}; fails with a message naming the key of the file
   * at fault. {@code vertx} only parses (Vert.x's own PEM reader, the one the listener uses).
   */
  public static TlsFiles load(MqttTlsConfig config, long handshakeTimeoutMillis, Vertx vertx)
      throws TlsFileException {
    List<Stamp> stamps = stamps(config);
    return new TlsFiles(config, handshakeTimeoutMillis, read(config, vertx), stamps);
  }

  /** A TLS file that cannot be used; the message starts with its key. */
  public static final class TlsFileException extends Exception {
    private static final long serialVersionUID = 1L;

    TlsFileException(String key, Path file, String problem, Throwable cause) {
      super(key + ": " + file + ": " + problem, cause);
    }
  }

  /** What is in force, for the start line: subject and expiry, CA and CRL counts. */
  public String summary() {
    return material.summary();
  }

  /** The TLS part of the listener options, from the files in force. */
  public void apply(MqttServerOptions options) {
    Material m = material;
    options.setSsl(true);
    options.setKeyCertOptions(keyCert(m));
    options.setEnabledSecureTransportProtocols(new LinkedHashSet<>(config.protocols));
    options.setSslHandshakeTimeout(handshakeTimeoutMillis);
    options.setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    if (m.clientCa() != null) {
      options.setClientAuth(clientAuth());
      options.setTrustOptions(new PemTrustOptions().addCertValue(m.clientCa()));
      if (m.crl() != null) {
        options.addCrlValue(m.crl());
      }
    }
  }

  /** The same, as the options {@code NetServer.updateSSLOptions} takes. */
  public ServerSSLOptions sslOptions() {
    Material m = material;
    ServerSSLOptions o =
        new ServerSSLOptions()
            .setKeyCertOptions(keyCert(m))
            .setEnabledSecureTransportProtocols(new LinkedHashSet<>(config.protocols))
            .setSslHandshakeTimeout(handshakeTimeoutMillis)
            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    if (m.clientCa() != null) {
      o.setClientAuth(clientAuth());
      o.setTrustOptions(new PemTrustOptions().addCertValue(m.clientCa()));
      if (m.crl() != null) {
        o.addCrlValue(m.crl());
      }
    }
    return o;
  }

  /**
   * Reads the files again if any changed (size, time or identity: a replaced file, as Kubernetes
   * does with secrets). True when a new, checked set is in force; false when nothing changed or the
   * new set is bad (then reported once, until a file changes again).
   */
  public synchronized boolean reloadIfChanged(Vertx vertx) {
    List<Stamp> now;
    try {
      now = stamps(config);
    } catch (TlsFileException e) {
      if (stamps != null) {
        log.error(
            "TLS files not reloaded, keeping those in force ({}): {}", summary(), e.getMessage());
        stamps = null;
      }
      return false;
    }
    if (now.equals(stamps)) {
      return false;
    }
    stamps = now; // a bad set is reported once, not at every check
    try {
      material = read(config, vertx);
      return true; // the listener logs it once its servers use the new files
    } catch (TlsFileException e) {
      log.error(
          "TLS files not reloaded, keeping those in force ({}): {}", summary(), e.getMessage());
      return false;
    }
  }

  private ClientAuth clientAuth() {
    return config.clientAuth == MqttTlsConfig.ClientAuth.REQUIRED
        ? ClientAuth.REQUIRED
        : ClientAuth.REQUEST;
  }

  private static PemKeyCertOptions keyCert(Material m) {
    return new PemKeyCertOptions().setCertValue(m.cert()).setKeyValue(m.key());
  }

  private static Material read(MqttTlsConfig config, Vertx vertx) throws TlsFileException {
    Buffer cert = bytes("mqtt.tls.certFile", config.certFile);
    Buffer key = bytes("mqtt.tls.keyFile", config.keyFile);
    List<X509Certificate> chain = certificates("mqtt.tls.certFile", config.certFile, cert);
    X509Certificate leaf = chain.get(0);
    PrivateKey privateKey;
    try {
      KeyManagerFactory kmf =
          new PemKeyCertOptions().setCertValue(cert).setKeyValue(key).getKeyManagerFactory(vertx);
      privateKey = privateKey(kmf);
    } catch (Exception e) {
      throw new TlsFileException(
          "mqtt.tls.keyFile", config.keyFile, "not a usable PEM private key: " + e.getMessage(), e);
    }
    if (!matches(privateKey, leaf.getPublicKey())) {
      throw new TlsFileException(
          "mqtt.tls.keyFile",
          config.keyFile,
          "is not the key of the certificate in mqtt.tls.certFile ("
              + leaf.getSubjectX500Principal().getName()
              + ")",
          null);
    }
    String summary =
        "certificate "
            + leaf.getSubjectX500Principal().getName()
            + " valid until "
            + leaf.getNotAfter().toInstant();
    Buffer clientCa = null;
    Buffer crl = null;
    if (config.clientAuth != null
        && config.clientAuth != MqttTlsConfig.ClientAuth.NONE
        && config.clientCaFile != null) {
      clientCa = bytes("mqtt.tls.clientCaFile", config.clientCaFile);
      int cas = certificates("mqtt.tls.clientCaFile", config.clientCaFile, clientCa).size();
      summary += ", " + cas + " client CA certificate" + (cas == 1 ? "" : "s");
      if (config.crlFile != null) {
        crl = bytes("mqtt.tls.crlFile", config.crlFile);
        int revoked = revocations(config.crlFile, crl);
        summary += ", CRL with " + revoked + " revoked";
      }
    }
    return new Material(cert, key, clientCa, crl, summary);
  }

  private static Buffer bytes(String key, Path file) throws TlsFileException {
    try {
      return Buffer.buffer(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new TlsFileException(key, file, "cannot be read (" + e + ")", e);
    }
  }

  private static List<X509Certificate> certificates(String key, Path file, Buffer pem)
      throws TlsFileException {
    List<X509Certificate> out = new ArrayList<>();
    try {
      for (var c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes()))) {
        out.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new TlsFileException(key, file, "not PEM certificates: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new TlsFileException(key, file, "holds no certificate", null);
    }
    return out;
  }

  private static int revocations(Path file, Buffer crl) throws TlsFileException {
    try {
      var crls =
          CertificateFactory.getInstance("X.509")
              .generateCRLs(new ByteArrayInputStream(crl.getBytes()));
      if (crls.isEmpty()) {
        throw new TlsFileException("mqtt.tls.crlFile", file, "holds no CRL", null);
      }
      int revoked = 0;
      for (var c : crls) {
        var entries = ((java.security.cert.X509CRL) c).getRevokedCertificates();
        revoked += entries == null ? 0 : entries.size();
      }
      return revoked;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new TlsFileException("mqtt.tls.crlFile", file, "not a CRL (PEM or DER)", e);
    }
  }

  private static PrivateKey privateKey(KeyManagerFactory kmf) throws GeneralSecurityException {
    for (var km : kmf.getKeyManagers()) {
      if (km instanceof javax.net.ssl.X509KeyManager x) {
        for (String type : new String[] {"EC", "RSA", "EdDSA", "Ed25519", "RSASSA-PSS"}) {
          String[] aliases = x.getServerAliases(type, null);
          if (aliases != null && aliases.length > 0) {
            return x.getPrivateKey(aliases[0]);
          }
        }
      }
    }
    throw new java.security.KeyStoreException("no private key found");
  }

  /** True when {@code key} signs what {@code publicKey} verifies: the pair belongs together. */
  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "EdDSA", "Ed25519" -> "Ed25519";
          case "Ed448" -> "Ed448";
          default -> null;
        };
    if (algorithm == null) {
      return Objects.equals(key.getAlgorithm(), publicKey.getAlgorithm()); // cannot tell more
    }
    try {
      byte[] probe = "edgegate key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(probe);
      byte[] signature = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(publicKey);
      v.update(probe);
      return v.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<Stamp> stamps(MqttTlsConfig config) throws TlsFileException {
    List<Stamp> out = new ArrayList<>(4);
    out.add(stamp("mqtt.tls.certFile", config.certFile));
    out.add(stamp("mqtt.tls.keyFile", config.keyFile));
    if (config.clientAuth != null
        && config.clientAuth != MqttTlsConfig.ClientAuth.NONE
        && config.clientCaFile != null) {
      out.add(stamp("mqtt.tls.clientCaFile", config.clientCaFile));
      if (config.crlFile != null) {
        out.add(stamp("mqtt.tls.crlFile", config.crlFile));
      }
    }
    return out;
  }

  private static Stamp stamp(String key, Path file) throws TlsFileException {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
    } catch (IOException e) {
      throw new TlsFileException(key, file, "cannot be read (" + e + ")", e);
    }
  }
}
