package io.edgegate.gateway.trace;

/** What became of an event, as far as the journal and Kafka can tell. */
public enum Fate {
  /** In the topic the pipeline routes it to: a consumer can read it there. */
  FORWARDED,
  /** In the dead-letter topic, with the reason in its {@code edgegate_dlq_*} headers. */
  DEAD_LETTERED,
  /** Journaled after the checkpoint: Kafka has not acknowledged it yet, and it is not in Kafka. */
  BACKLOG,
  /**
   * Journaled, and the checkpoint has passed it (Kafka acknowledged it, or it was dropped as a
   * repeat), but no record of it was found: Kafka was not asked, or not within the search's bounds.
   */
  ACKNOWLEDGED,
  /**
   * Not in the journal, and its id's time is before the journal's oldest entry: it was received
   * earlier and its file deleted once forwarded (retention), or it was never here.
   */
  AGED_OUT,
  /**
   * Not in the journal although the journal covers the time its id was made at (or it has none).
   */
  NOT_FOUND
}
