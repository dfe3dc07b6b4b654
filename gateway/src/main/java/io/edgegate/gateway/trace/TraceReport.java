package io.edgegate.gateway.trace;

import java.util.List;

/**
 * What a trace found: the journal as it was searched, how far Kafka was asked, and one result per
 * event (exactly one for a trace by id; oldest first for a trace by device).
 */
public record TraceReport(JournalView journal, KafkaAnswer kafka, List<TraceResult> events) {}
