package io.edgegate.gateway.pipeline;

import io.edgegate.gateway.forward.DeadLetterNote;
import io.edgegate.gateway.pipeline.schema.SchemaVersionStats;

/**
 * What the pipeline reports, the schema versions of valid events included ({@link
 * SchemaVersionStats}, declared beside the tracking so that it needs nothing of this package).
 * Implementations are thread-safe: the pipeline writes, the admin server reads.
 */
public interface PipelineStats extends SchemaVersionStats {
  /** The pipeline sent an event to the dead-letter topic. */
  default void invalid(DeadLetterReason reason) {}

  /**
   * The same, with what an operator's console lists of it. Called instead of {@link
   * #invalid(DeadLetterReason)}, only for dead letters.
   */
  default void invalid(DeadLetterReason reason, DeadLetterNote note) {
    invalid(reason);
  }

  /** A repeat of a device's message id was suppressed. */
  default void duplicateSuppressed() {}

  /** Receive time minus the device's own timestamp. */
  default void deviceClockSkew(long millis) {}

  /** The event came from a device missing from the registry. */
  default void unknownDevice() {}

  PipelineStats NONE = new PipelineStats() {};
}
