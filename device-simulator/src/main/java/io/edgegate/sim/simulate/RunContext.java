package io.edgegate.sim.simulate;

/** What all devices of one run share. Thread-safe. */
final class RunContext {
  final String runId;
  final int qos;

  /** Messages per device; {@link Long#MAX_VALUE} when the scenario sets no count. */
  final long countPerDevice;

  final RunCounters counters;
  final AckLog ackLog;
  final Pacer pacer;
  private volatile boolean stopping;

  RunContext(
      String runId,
      int qos,
      long countPerDevice,
      RunCounters counters,
      AckLog ackLog,
      Pacer pacer) {
    this.runId = runId;
    this.qos = qos;
    this.countPerDevice = countPerDevice;
    this.counters = counters;
    this.ackLog = ackLog;
    this.pacer = pacer;
  }

  /** Devices are being shut down: no reconnects, no new connections. */
  boolean stopping() {
    return stopping;
  }

  void stopping(boolean value) {
    stopping = value;
  }
}
