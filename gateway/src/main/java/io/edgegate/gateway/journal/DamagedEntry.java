package io.edgegate.gateway.journal;

/**
 * A journal entry that could not be decoded. The pipeline counts it and moves past it, so one
 * damaged entry never stalls forwarding.
 */
public record DamagedEntry(long index, String problem) implements JournalEntry {}
