package io.edgegate.gateway.ingest.stats;

/**
 * Why a SUBSCRIBE topic filter was refused: the {@code reason} tag of {@code
 * edgegate.mqtt.subscriptions.refused}.
 */
public enum SubscriptionRefusal {
  /** Not a valid topic filter (section 4.7.1). */
  INVALID_FILTER("invalid-filter"),
  /** A shared subscription ({@code $share/...}), which the gateway does not offer. */
  SHARED_NOT_SUPPORTED("shared-not-supported"),
  /** The ACL does not let the device subscribe to the filter. */
  NOT_AUTHORIZED("not-authorized"),
  /** The session holds mqtt.sessions.maxSubscriptions already. */
  QUOTA_EXCEEDED("quota-exceeded");

  private final String tag;

  SubscriptionRefusal(String tag) {
    this.tag = tag;
  }

  /** The {@code reason} tag. */
  public String tag() {
    return tag;
  }
}
