package io.edgegate.sim.simulate;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import io.edgegate.sim.scenario.ScenarioException;
import io.edgegate.sim.scenario.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/** Turns {@code mqtt.tls.*} into the HiveMQ client's TLS configuration, shared by all devices. */
final class TlsConfig {
  private TlsConfig() {}

  static MqttClientSslConfig of(TlsSettings tls) {
    MqttClientSslConfigBuilder b = MqttClientSslConfig.builder();
    try {
      if (tls.trustStore != null) {
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore(tls.trustStore, tls.trustStorePassword));
        b = b.trustManagerFactory(tmf);
      }
      if (tls.keyStore != null) {
        char[] password = chars(tls.keyStorePassword);
        KeyStore keys = KeyStore.getInstance(tls.keyStore.toFile(), password);
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        b = b.keyManagerFactory(kmf);
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new ScenarioException(
          "mqtt.tls", List.of("cannot load the trust or key store: " + e.getMessage()));
    }
    if (!tls.hostnameVerification) {
      b = b.hostnameVerifier((host, session) -> true);
    }
    return b.build();
  }

  /** PEM certificates ({@code .pem}, {@code .crt}, {@code .cer}) or a PKCS12/JKS key store. */
  static KeyStore trustStore(Path file, String password)
      throws IOException, GeneralSecurityException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer")) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      try (InputStream in = Files.newInputStream(file)) {
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          store.setCertificateEntry("cert-" + i++, c);
        }
        if (i == 0) {
          throw new GeneralSecurityException(file + " holds no certificate");
        }
      }
      return store;
    }
    return KeyStore.getInstance(file.toFile(), chars(password));
  }

  private static char[] chars(String password) {
    return password == null ? new char[0] : password.toCharArray();
  }
}
