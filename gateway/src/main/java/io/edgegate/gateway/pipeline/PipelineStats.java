package io.edgegate.gateway.pipeline;

/**
 * What the pipeline reports. Implementations are thread-safe: the pipeline writes, the admin server
 * reads.
 */
public interface PipelineStats {
  /** The pipeline sent an event to the dead-letter topic. */
  default void invalid(DeadLetterReason reason) {}

  /** A repeat of a device's message id was suppressed. */
  default void duplicateSuppressed() {}

  /** Receive time minus the device's own timestamp. */
  default void deviceClockSkew(long millis) {}

  /** The event came from a device missing from the registry. */
  default void unknownDevice() {}

  /**
   * The counter of valid events of schema {@code type} that claimed {@code version}: asked once per
   * (type, version) when a processor adopts its schemas, so that an event only increments it.
   */
  default Tally schemaVersion(String type, int version) {
    return Tally.NONE;
  }

  /**
   * The counter of events of schema {@code type} upcast from version {@code from} to {@code to}.
   */
  default Tally upcast(String type, int from, int to) {
    return Tally.NONE;
  }

  /**
   * Devices whose last event of schema {@code type} claimed an older version than the current one,
   * read from {@code devices} (any thread) whenever the stats are read. Told once per type.
   */
  default void devicesOnOldSchema(String type, java.util.function.IntSupplier devices) {}

  /** A device was forgotten by the schema-version tracking, to stay within its bound. */
  default void schemaDeviceEvicted() {}

  PipelineStats NONE = new PipelineStats() {};

  /** A pre-resolved counter: incrementing it allocates nothing. Thread-safe. */
  interface Tally {
    void increment();

    Tally NONE = () -> {};
  }
}
