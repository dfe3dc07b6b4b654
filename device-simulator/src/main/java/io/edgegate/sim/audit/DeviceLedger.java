package io.edgegate.sim.audit;

/**
 * One device of one run, as the audit sees it: the sequence numbers acknowledged to it (from the
 * ack record) and those found in Kafka. <b>Not thread-safe</b> (one audit thread).
 */
final class DeviceLedger {
  /** Null when the ack record has nothing for this device. */
  SeqRanges acknowledged;

  final SeqRanges received = new SeqRanges();

  /** Highest sequence number seen so far, in Kafka order; -1 before the first. */
  long highest = -1;

  void acknowledged(long first, long last) {
    if (acknowledged == null) {
      acknowledged = new SeqRanges();
    }
    acknowledged.addRange(first, last);
  }

  boolean wasAcknowledged(long seq) {
    return acknowledged != null && acknowledged.contains(seq);
  }
}
