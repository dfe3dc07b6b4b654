package io.edgegate.gateway.ingest.auth;

import java.util.Map;

/**
 * Who a connected device is, as established at CONNECT: what ACL variables are replaced with.
 *
 * @param clientId the MQTT client id (assigned when the device sent none)
 * @param username the verified user name, or null
 * @param identity the authenticated id (certificate field, else user name), or null if anonymous
 * @param certificate fields of the verified client certificate ({@code cn}, {@code o}, {@code ou},
 *     {@code san}); empty without one
 * @param assignedClientId true when the device sent an empty client id and was given one
 */
public record DeviceIdentity(
    String clientId,
    String username,
    String identity,
    Map<String, String> certificate,
    boolean assignedClientId) {

  public boolean anonymous() {
    return identity == null;
  }

  /** The value of ACL variable {@code name} ({@code clientId}, {@code cert.cn}, …), or null. */
  public String variable(String name) {
    return switch (name) {
      case "clientId" -> clientId;
      case "username" -> username;
      case "identity" -> identity;
      default ->
          name.startsWith("cert.") ? certificate.get(name.substring("cert.".length())) : null;
    };
  }
}
