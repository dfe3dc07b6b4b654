package io.edgegate.gateway.pipeline;

/**
 * Why the pipeline sent an event to the dead-letter topic instead of its route: the {@code
 * edgegate_dlq_reason} header value and the {@code reason} tag of {@code
 * edgegate.events.dead.lettered} (beside the forwarder's reasons, see {@code SendFailure}).
 */
public enum DeadLetterReason {
  /** Larger than pipeline.maxPayloadBytes: the dead letter carries no payload. */
  PAYLOAD_TOO_LARGE("payload-too-large"),
  /** No route matches the topic (pipeline.unmatched: dead-letter). */
  UNMATCHED_TOPIC("unmatched-topic"),
  /** The device is not in the registry (pipeline.registry.unknownDevices: dead-letter). */
  UNKNOWN_DEVICE("unknown-device"),
  /** The route wants JSON and the payload is not (or is empty). */
  NOT_JSON("not-json"),
  /** The payload is JSON but not an object. */
  NOT_JSON_OBJECT("not-json-object"),
  /** The payload breaks its schema. */
  SCHEMA_INVALID("schema-invalid");

  private final String tag;

  DeadLetterReason(String tag) {
    this.tag = tag;
  }

  /** The header value and {@code reason} tag. */
  public String tag() {
    return tag;
  }
}
