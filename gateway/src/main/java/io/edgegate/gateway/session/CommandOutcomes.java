package io.edgegate.gateway.session;

/** Where the outcome of each command goes (Kafka, metrics). Any thread; never blocks. */
public interface CommandOutcomes {
  /** What became of a command. */
  enum Outcome {
    /** The device acknowledged it (PUBACK, PUBCOMP) or, at QoS 0, it was written. */
    DELIVERED,
    /** Held on disk in the device's persistent session until it reconnects. */
    QUEUED,
    /** Its time to live ran out (or its session expired) before delivery. */
    EXPIRED,
    /** Not deliverable; the reason says why. */
    REFUSED;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Reports an outcome. Every outcome settles the command (its offset may be committed); a command
   * queued and delivered later is reported twice (queued, then delivered).
   */
  void report(Command command, Outcome outcome, OutcomeReason reason, int deviceCode);

  /** {@link #report(Command, Outcome, OutcomeReason, int)} without a device reason code. */
  default void report(Command command, Outcome outcome, OutcomeReason reason) {
    report(command, outcome, reason, OutcomeReason.NO_CODE);
  }

  /** Reports nothing, settles. */
  CommandOutcomes SETTLE_ONLY = (command, outcome, reason, code) -> command.settle();
}
