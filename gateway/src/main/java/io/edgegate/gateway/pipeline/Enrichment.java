package io.edgegate.gateway.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.thread.Confinement;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * What an event carries about its device. Rule: {@code enrichment: fat} on a device the registry
 * knows adds each metadata entry as an {@code edgegate_device_<key>} header and, to a JSON object
 * body, a {@code _device} object (its id and the metadata); otherwise (sparse, or no metadata) only
 * the {@code edgegate_device} header, its id.
 *
 * <p><b>Confined to the pipeline's event loop</b>, like the {@link EventProcessor} and the {@link
 * Envelope} (whose header caches it uses) that own it.
 */
final class Enrichment {
  private final Envelope envelope;
  private final Confinement.Owner owner;

  Enrichment(Envelope envelope, Confinement.Owner owner) {
    this.envelope = envelope;
    this.owner = owner;
  }

  /**
   * Adds the device's headers to {@code headers} and, when fat, its {@code _device} to {@code body}
   * (may be null): true if the body changed.
   */
  boolean enrich(
      JournalEvent e,
      PipelineConfig.Route rule,
      String deviceId,
      Map<String, String> meta,
      ObjectNode body,
      List<Header> headers) {
    assert owner.check();
    if (rule.enrichment != PipelineConfig.Enrichment.FAT || meta == null) {
      headers.add(envelope.device(deviceId, e));
      return false;
    }
    for (Map.Entry<String, String> m : meta.entrySet()) {
      headers.add(new RecordHeader("edgegate_device_" + m.getKey(), Envelope.bytes(m.getValue())));
    }
    if (body == null) {
      return false;
    }
    ObjectNode device = body.putObject("_device");
    device.put("id", deviceId);
    meta.forEach(device::put);
    return true;
  }
}
