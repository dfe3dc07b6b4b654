package io.edgegate.gateway.session;

/**
 * Why a command ended as it did: the {@code reason} of its outcome record (docs/commands.md). A
 * device's own refusal carries its reason code: {@code device-refused-0x87}.
 */
public enum OutcomeReason {
  /** Its time to live ran out. */
  TTL("ttl"),
  /** Held in the persistent session of a device that is offline. */
  OFFLINE("offline"),
  /** The device has no session (never connected, or its session ended). */
  NO_SESSION("no-session"),
  /** The device holds no subscription matching the command's topic. */
  NOT_SUBSCRIBED("not-subscribed"),
  /** The session's command queue is full. */
  QUEUE_FULL("queue-full"),
  /** The device's ACL does not let it receive the topic. */
  NOT_AUTHORIZED("not-authorized"),
  /** Over the Maximum Packet Size the device announced. */
  TOO_LARGE("too-large"),
  /** Writing it to the device's connection failed. */
  WRITE_FAILED("write-failed"),
  /** The device answered with a failure reason code (MQTT 5 PUBACK or PUBREC). */
  DEVICE_REFUSED("device-refused"),
  /** A clean session ended when its device disconnected. */
  DISCONNECTED("disconnected"),
  /** A new connection started the session afresh. */
  SESSION_ENDED("session-ended"),
  /** The session expired while its device was away. */
  SESSION_EXPIRED("session-expired");

  /** No reason code from the device. */
  public static final int NO_CODE = -1;

  private final String tag;

  OutcomeReason(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }

  /** The record's text: the tag, with the device's reason code when there is one. */
  public String text(int deviceCode) {
    return deviceCode < 0 ? tag : tag + "-0x" + String.format("%02x", deviceCode & 0xff);
  }
}
