package io.edgegate.gateway.ingest.auth;

import io.edgegate.gateway.config.MqttTlsConfig.DeviceIdFrom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** The fields of a verified client certificate that identify a device and feed ACL variables. */
public final class CertificateFields {
  // SubjectAlternativeName general name types (RFC 5280, 4.2.1.6)
  private static final int SAN_EMAIL = 1;
  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;

  private CertificateFields() {}

  /**
   * {@code cn}, {@code o}, {@code ou} of the subject (the first of each) and {@code san}: the SAN
   * of the kind {@code from} names, else the first DNS name. Absent fields are left out.
   */
  public static Map<String, String> of(X509Certificate cert, DeviceIdFrom from) {
    Map<String, String> out = new HashMap<>();
    try {
      LdapName name = new LdapName(cert.getSubjectX500Principal().getName());
      // RDNs are listed most significant first in the string, last in the list: walk backwards.
      List<Rdn> rdns = name.getRdns();
      for (int i = rdns.size() - 1; i >= 0; i--) {
        Rdn rdn = rdns.get(i);
        String type = rdn.getType().toLowerCase(Locale.ROOT);
        if ((type.equals("cn") || type.equals("o") || type.equals("ou"))
            && rdn.getValue() instanceof String v) {
          out.putIfAbsent(type, v);
        }
      }
    } catch (InvalidNameException e) {
      // an unparsable subject gives no subject fields
    }
    int sanType =
        switch (from) {
          case SAN_URI -> SAN_URI;
          case SAN_EMAIL -> SAN_EMAIL;
          default -> SAN_DNS;
        };
    String san = firstSan(cert, sanType);
    if (san != null) {
      out.put("san", san);
    }
    return out;
  }

  /** The device id {@code from} names, or null if the certificate has no such field. */
  public static String deviceId(Map<String, String> fields, DeviceIdFrom from) {
    return switch (from) {
      case CN -> fields.get("cn");
      case SAN_DNS, SAN_URI, SAN_EMAIL -> fields.get("san");
      case NONE -> null;
    };
  }

  private static String firstSan(X509Certificate cert, int type) {
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans == null) {
        return null;
      }
      for (List<?> san : sans) {
        if (san.size() >= 2
            && san.get(0) instanceof Integer t
            && t == type
            && san.get(1) instanceof String v) {
          return v;
        }
      }
    } catch (CertificateParsingException e) {
      return null;
    }
    return null;
  }
}
