package io.edgegate.gateway.pipeline.schema;

/**
 * What {@link SchemaVersions} reports (a part of the pipeline's stats). Implementations are
 * thread-safe: the pipeline writes, the metrics are read elsewhere.
 */
public interface SchemaVersionStats {
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

  /** A pre-resolved counter: incrementing it allocates nothing. Thread-safe. */
  interface Tally {
    void increment();

    Tally NONE = () -> {};
  }
}
