package io.edgegate.gateway.ingest.stats;

/**
 * Why a device's PUBLISH was not journaled: the {@code reason} tag of {@code
 * edgegate.events.refused} (QoS 1/2: the device was told, or disconnected) and {@code
 * edgegate.events.dropped} (QoS 0: gone).
 */
public enum PublishRefusal {
  /** The journal is at its disk limit (journal.maxBytes, journal.minFreeDisk). */
  JOURNAL_FULL("journal-full"),
  /** The append failed. */
  JOURNAL_ERROR("journal-error"),
  /** The ACL does not let the device publish to the topic. */
  NOT_AUTHORIZED("not-authorized"),
  /** MQTT 5 Payload Format Indicator 1 (UTF-8) and the payload is not UTF-8. */
  PAYLOAD_FORMAT_INVALID("payload-format-invalid");

  private final String tag;

  PublishRefusal(String tag) {
    this.tag = tag;
  }

  /** The {@code reason} tag; also what the refusal log lines say. */
  public String tag() {
    return tag;
  }
}
