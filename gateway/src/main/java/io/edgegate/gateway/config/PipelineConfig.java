package io.edgegate.gateway.config;

/** {@code pipeline.*}: how a journaled MQTT message becomes a CloudEvent in Kafka. */
public final class PipelineConfig {
  /** {@code ce_type} of every event. */
  public String eventType = "io.edgegate.mqtt.publish";

  /**
   * {@code content-type} header when the device does not send one (MQTT 5 content type): a decision
   * written here, never a guess from the bytes.
   */
  public String contentType = "application/octet-stream";

  void validate(Problems problems) {
    problems.notBlank(eventType, "pipeline.eventType");
    problems.notBlank(contentType, "pipeline.contentType");
  }
}
