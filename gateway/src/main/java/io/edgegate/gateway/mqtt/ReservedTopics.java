package io.edgegate.gateway.mqtt;

/**
 * The gateway's own topic namespace. Entries the gateway writes to the journal itself (a device's
 * connect and disconnect) carry topics under {@link #PREFIX}; a device's PUBLISH there is a
 * protocol violation, so that a device cannot forge them.
 */
public final class ReservedTopics {
  /** Every reserved topic starts with this. */
  public static final String PREFIX = "$edgegate/";

  /** Lifecycle entries: {@code $edgegate/lifecycle/<kind>} (connected, disconnected, ...). */
  public static final String LIFECYCLE = PREFIX + "lifecycle/";

  private ReservedTopics() {}

  /** True if {@code topic} is in the gateway's own namespace. */
  public static boolean reserved(String topic) {
    return topic.startsWith(PREFIX);
  }
}
