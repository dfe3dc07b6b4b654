package io.edgegate.sim.audit;

import io.edgegate.sim.payload.Stamp;
import io.edgegate.sim.record.RunRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Everything the audit knows about one run: what was acknowledged (from its record, if there is
 * one) and what arrived in Kafka, per device, plus the latency histogram. Memory grows with devices
 * and gaps, not with events. <b>Not thread-safe</b> (one audit thread).
 *
 * <p>Definitions, per device: a <em>duplicate</em> is a sequence number already seen; a
 * <em>reordered</em> event is a first appearance of a number lower than one seen before (Kafka
 * keeps a key's records in order, so this is the path reordering a device's events); <em>lost</em>
 * is an acknowledged number not found.
 */
final class RunLedger {
  final String runId;

  /** Null when the run has no record here: sent, acknowledged and lost are then unknown. */
  final RunRecord record;

  private final Map<String, DeviceLedger> devices = new HashMap<>();
  private final Histogram latencyMillis = new Histogram(3);
  private long acknowledged;
  private long acknowledgedFound;
  private long records;
  private long distinct;
  private long duplicates;
  private long reordered;
  private long clockSkewed;

  RunLedger(String runId, RunRecord record) {
    this.runId = runId;
    this.record = record;
  }

  /** From the ack record. */
  void expectAcknowledged(String deviceId, long first, long last) {
    device(deviceId).acknowledged(first, last);
    acknowledged += last - first + 1;
  }

  /** A record of this run found in Kafka, with its Kafka timestamp. */
  void receive(Stamp stamp, long kafkaTimestamp) {
    records++;
    DeviceLedger d = device(stamp.deviceId());
    long seq = stamp.seq();
    if (!d.received.add(seq)) {
      duplicates++;
      return;
    }
    distinct++;
    if (seq < d.highest) {
      reordered++;
    } else {
      d.highest = seq;
    }
    if (d.wasAcknowledged(seq)) {
      acknowledgedFound++;
    }
    long latency = kafkaTimestamp - stamp.sentAtMillis();
    if (latency < 0) {
      clockSkewed++; // the Kafka timestamp is earlier than the send: clocks disagree
      latency = 0;
    }
    latencyMillis.recordValue(latency);
  }

  boolean hasRecord() {
    return record != null;
  }

  /** Acknowledged events not found (so far). */
  long lost() {
    return acknowledged - acknowledgedFound;
  }

  /** Up to {@code limit} lost events, by device id then sequence number. */
  List<AuditReport.Event> lostExamples(int limit) {
    List<AuditReport.Event> out = new ArrayList<>();
    for (Map.Entry<String, DeviceLedger> e : new TreeMap<>(devices).entrySet()) {
      DeviceLedger d = e.getValue();
      if (d.acknowledged == null || out.size() >= limit) {
        continue;
      }
      d.acknowledged.forEachNotIn(
          d.received, limit - out.size(), seq -> out.add(new AuditReport.Event(e.getKey(), seq)));
    }
    return out;
  }

  long acknowledged() {
    return acknowledged;
  }

  long acknowledgedFound() {
    return acknowledgedFound;
  }

  long records() {
    return records;
  }

  long distinct() {
    return distinct;
  }

  long duplicates() {
    return duplicates;
  }

  long reordered() {
    return reordered;
  }

  long clockSkewed() {
    return clockSkewed;
  }

  int devicesSeen() {
    int n = 0;
    for (DeviceLedger d : devices.values()) {
      if (d.received.count() > 0) {
        n++;
      }
    }
    return n;
  }

  Histogram latencyMillis() {
    return latencyMillis;
  }

  private DeviceLedger device(String id) {
    return devices.computeIfAbsent(id, k -> new DeviceLedger());
  }
}
