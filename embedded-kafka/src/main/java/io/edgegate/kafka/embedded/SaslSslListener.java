package io.edgegate.kafka.embedded;

import java.util.Map;
import java.util.Properties;

/**
 * A client listener speaking SASL_SSL with SCRAM-SHA-512, as a production cluster offers it: the
 * broker's certificate and key (PEM), and the users with their passwords. The broker keeps a
 * PLAINTEXT listener of its own on loopback for itself (inter-broker traffic, creating the users,
 * readiness); clients are told only of the SASL_SSL one.
 *
 * @param certificateChain the broker's certificate chain, PEM, leaf first
 * @param privateKey its private key, PEM (PKCS#8, unencrypted)
 * @param scramUsers user name to password, created as SCRAM-SHA-512 credentials at start
 */
public record SaslSslListener(
    String certificateChain, String privateKey, Map<String, String> scramUsers) {
  static final String MECHANISM = "SCRAM-SHA-512";

  public SaslSslListener {
    scramUsers = Map.copyOf(scramUsers);
  }

  /** Replaces the PLAINTEXT client listener of {@code props} by this one and an internal one. */
  void apply(Properties props, String host, int clientPort, int internalPort, String controller) {
    props.setProperty(
        "listeners",
        "SASL_SSL://"
            + host
            + ":"
            + clientPort
            + ",INTERNAL://"
            + host
            + ":"
            + internalPort
            + ",CONTROLLER://"
            + controller);
    props.setProperty(
        "advertised.listeners",
        "SASL_SSL://" + host + ":" + clientPort + ",INTERNAL://" + host + ":" + internalPort);
    props.setProperty(
        "listener.security.protocol.map",
        "SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.setProperty("inter.broker.listener.name", "INTERNAL");
    props.setProperty("sasl.enabled.mechanisms", MECHANISM);
    props.setProperty(
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    props.setProperty("listener.name.sasl_ssl.ssl.keystore.type", "PEM");
    props.setProperty("listener.name.sasl_ssl.ssl.keystore.certificate.chain", certificateChain);
    props.setProperty("listener.name.sasl_ssl.ssl.keystore.key", privateKey);
  }
}
