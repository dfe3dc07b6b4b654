package io.edgegate.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.pipeline.schema.JsonPaths;
import io.edgegate.gateway.thread.Confinement;

/**
 * Repeats of a device's own messages. Rule: when {@code pipeline.duplicates} names a user property
 * or a body field, its value is the message id; an id among the last {@code window} ids of the same
 * device (for the {@code maxDevices} devices seen last) is a repeat, counted and suppressed. An
 * event without an id (absent, null, or an object or array) is never a repeat.
 *
 * <p><b>Confined to the pipeline's event loop</b>, like the {@link EventProcessor} that owns it
 * (the memory of recent ids is not thread-safe).
 */
final class Deduplication {
  private final PipelineConfig.Duplicates config;
  private final RecentMessageIds recentIds; // null: off
  private final PipelineStats stats;
  private final Confinement.Owner owner;

  Deduplication(PipelineConfig.Duplicates config, PipelineStats stats, Confinement.Owner owner) {
    this.config = config;
    this.recentIds =
        config.field == null && config.userProperty == null
            ? null
            : new RecentMessageIds(config.window, config.maxDevices);
    this.stats = stats;
    this.owner = owner;
  }

  /** True (and counted) if the event is a repeat, to suppress; it is remembered otherwise. */
  boolean repeat(JournalEvent e, String deviceId, ObjectNode body) {
    assert owner.check();
    if (recentIds == null) {
      return false;
    }
    String messageId = messageId(e, body);
    if (messageId != null && recentIds.seenBefore(deviceId, messageId)) {
      stats.duplicateSuppressed();
      return true;
    }
    return false;
  }

  private String messageId(JournalEvent e, ObjectNode body) {
    if (config.userProperty != null) {
      for (JournalEvent.UserProperty p : e.userProperties()) {
        if (p.name().equals(config.userProperty)) {
          return p.value();
        }
      }
      return null;
    }
    JsonNode id = body == null ? null : JsonPaths.at(body, config.field);
    return id == null || id.isNull() || id.isContainerNode() ? null : id.asText();
  }
}
