package io.edgegate.gateway.journal;

/** What the reader finds at a journal index: an event, or an entry it cannot decode. */
public sealed interface JournalEntry permits JournalEvent, DamagedEntry {
  long index();
}
