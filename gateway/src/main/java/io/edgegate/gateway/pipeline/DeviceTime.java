package io.edgegate.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.pipeline.schema.JsonPaths;
import io.edgegate.gateway.thread.Confinement;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The device's own timestamp of an event. Rule: the route's {@code deviceTime} field holds epoch
 * seconds (below 10^11) or milliseconds, or an ISO-8601 instant; when it reads as one, the event
 * gets {@code edgegate_device_time} and {@code edgegate_clock_skew_ms} (receive time minus device
 * time, also reported to the stats). A missing or unreadable field adds nothing: a device's clock
 * is not a reason to refuse its data.
 *
 * <p><b>Confined to the pipeline's event loop</b>, like the {@link EventProcessor} that owns it.
 */
final class DeviceTime {
  private final PipelineStats stats;
  private final Confinement.Owner owner;

  DeviceTime(PipelineStats stats, Confinement.Owner owner) {
    this.stats = stats;
    this.owner = owner;
  }

  /** Adds the device-time headers of {@code body}'s {@code field} to {@code headers}, if any. */
  void stamp(JournalEvent e, ObjectNode body, String field, List<Header> headers) {
    assert owner.check();
    JsonNode t = JsonPaths.at(body, field);
    if (t == null) {
      return;
    }
    long deviceMillis;
    if (t.isNumber()) {
      long v = t.asLong();
      deviceMillis = v < 100_000_000_000L ? v * 1000 : v; // seconds or milliseconds since the epoch
    } else {
      try {
        deviceMillis = Instant.parse(t.asText()).toEpochMilli();
      } catch (RuntimeException ex) {
        return;
      }
    }
    long skew = e.receivedAtMillis() - deviceMillis;
    stats.deviceClockSkew(skew);
    headers.add(new RecordHeader("edgegate_device_time", HeaderValues.instant(deviceMillis)));
    headers.add(new RecordHeader("edgegate_clock_skew_ms", Envelope.bytes(Long.toString(skew))));
  }
}
