package io.edgegate.gateway.config;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Collections;
import javax.net.ssl.X509KeyManager;

/**
 * Checks PEM certificates and keys the way the listener loads them (Vert.x's {@link
 * PemKeyCertOptions}), and that a key belongs to its certificate: a mismatch would otherwise only
 * show as failed handshakes. Any listener with TLS (device listener, admin endpoints) uses these.
 */
public final class TlsFiles {
  private static final byte[] PROBE = "edgegate key check".getBytes(StandardCharsets.US_ASCII);

  private TlsFiles() {}

  /**
   * Checks a certificate chain file and its private key; problems name {@code certKey}/{@code
   * keyKey}.
   */
  public static void keyPair(
      String certKey, Path certFile, String keyKey, Path keyFile, Problems problems) {
    byte[] cert = ConfigFiles.read(certFile, certKey, problems);
    byte[] key = ConfigFiles.read(keyFile, keyKey, problems);
    if (cert == null || key == null) {
      return;
    }
    Collection<? extends Certificate> chain = certificates(cert, certFile, certKey, problems);
    if (chain == null) {
      return;
    }
    PrivateKey privateKey = null;
    try {
      PemKeyCertOptions options =
          new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key));
      // Values, not paths: Vert.x then needs no instance to read them.
      X509KeyManager keys = (X509KeyManager) options.getKeyManagerFactory(null).getKeyManagers()[0];
      for (String alias : Collections.list(options.loadKeyStore(null).aliases())) {
        privateKey = privateKey != null ? privateKey : keys.getPrivateKey(alias);
      }
    } catch (Exception e) {
      problems.add(
          keyKey,
          keyFile
              + ": not a usable PEM private key for "
              + certFile
              + " (PKCS#8, or PKCS#1 for RSA): "
              + cause(e));
      return;
    }
    if (privateKey == null) {
      problems.add(keyKey, keyFile + ": holds no private key");
      return;
    }
    PublicKey publicKey = chain.iterator().next().getPublicKey();
    if (!matches(privateKey, publicKey)) {
      problems.add(
          keyKey,
          keyFile
              + ": is not the private key of the first certificate in "
              + certFile
              + " ("
              + certKey
              + ")");
    }
  }

  /** Checks a file of PEM CA certificates (at least one). */
  public static void certificates(String key, Path file, Problems problems) {
    byte[] bytes = ConfigFiles.read(file, key, problems);
    if (bytes != null) {
      certificates(bytes, file, key, problems);
    }
  }

  private static Collection<? extends Certificate> certificates(
      byte[] bytes, Path file, String key, Problems problems) {
    try {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes));
      if (certs.isEmpty()) {
        problems.add(key, file + ": holds no PEM certificate");
        return null;
      }
      return certs;
    } catch (CertificateException e) {
      problems.add(key, file + ": not a PEM certificate file: " + cause(e));
      return null;
    }
  }

  /** Signs with {@code privateKey} and verifies with {@code publicKey}. */
  private static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
    try {
      Signature signer = signature(privateKey.getAlgorithm());
      signer.initSign(privateKey);
      signer.update(PROBE);
      byte[] signed = signer.sign();
      Signature verifier = signature(privateKey.getAlgorithm());
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(signed);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static Signature signature(String keyAlgorithm) throws GeneralSecurityException {
    return switch (keyAlgorithm) {
      case "RSA" -> Signature.getInstance("SHA256withRSA");
      case "EC" -> Signature.getInstance("SHA256withECDSA");
      case "RSASSA-PSS" -> {
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(
            new java.security.spec.PSSParameterSpec(
                "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
        yield pss;
      }
      default -> Signature.getInstance(keyAlgorithm); // Ed25519, Ed448, EdDSA
    };
  }

  /** The innermost message: what went wrong, without the layers that only wrap it. */
  public static String cause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.strip().replace('\n', ' ');
  }
}
