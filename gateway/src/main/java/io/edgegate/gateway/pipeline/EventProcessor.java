package io.edgegate.gateway.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.gateway.config.GatewayConfig;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.mqtt.ReservedTopics;
import io.edgegate.gateway.pipeline.enrich.DeviceRegistry;
import io.edgegate.gateway.pipeline.route.RouteTable;
import io.edgegate.gateway.pipeline.schema.SchemaCatalog;
import io.edgegate.gateway.pipeline.schema.SchemaVersions;
import io.edgegate.gateway.thread.Confinement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Decides what becomes of one journaled event, in named steps, each with its rule on its class:
 * which route ({@link Routing}), which device and what the registry knows of it ({@link
 * DeviceLookup}), its body ({@link BodyParsing}), whether it is a repeat ({@link Deduplication}),
 * whether it is valid, upcast to the current schema version ({@link SchemaValidation}, {@link
 * ClaimedVersion}; the version a valid event claimed is counted, per type and device, in the {@link
 * SchemaVersions} handed in, which outlives the processor), the device's own time ({@link
 * DeviceTime}), its device headers ({@link Enrichment}), and how it is enveloped ({@link
 * Envelope}). The result is the record to send — to its topic, or to the dead-letter topic with the
 * reason in headers — or null for a suppressed repeat. Never throws on bad input: a poison event
 * becomes a dead letter, so the pipeline never stalls on it. The dead-letter reasons are named
 * here, where each step's refusal is turned into one.
 *
 * <p><b>Confined to the pipeline's event loop</b> (the duplicate memory and the envelope's caches
 * are not thread-safe); its steps share its confinement. The registry and schemas it reads are
 * swapped or immutable. The steps are built once, with the processor: an event costs no objects of
 * theirs.
 */
public final class EventProcessor {
  private final Confinement.Owner owner = Confinement.firstCaller();

  private final GatewayConfig config;
  private final PipelineConfig pipeline;
  private final ObjectMapper json;
  private final Envelope envelope;
  private final Routing routing;
  private final DeviceLookup devices;
  private final BodyParsing bodies;
  private final Deduplication duplicates;
  private final SchemaValidation validation;
  private final DeviceTime deviceTime;
  private final Enrichment enrichment;
  private final DeadLetterRecords deadLetters;
  private final SchemaCatalog schemas;
  private final SchemaVersions versions; // null: not tracked
  private boolean versionsAdopted;
  private final PipelineStats stats;
  private final Header gatewayId;
  private final Header site;

  public EventProcessor(
      GatewayConfig config,
      ObjectMapper json,
      DeviceRegistry registry,
      SchemaCatalog schemas,
      PipelineStats stats) {
    this(config, json, registry, schemas, stats, null);
  }

  /**
   * @param versions where the schema versions of valid events are counted (it outlives this
   *     processor: a reload hands the same one to the next); null: not tracked
   */
  public EventProcessor(
      GatewayConfig config,
      ObjectMapper json,
      DeviceRegistry registry,
      SchemaCatalog schemas,
      PipelineStats stats,
      SchemaVersions versions) {
    this.config = config;
    this.pipeline = config.pipeline;
    this.json = json;
    this.envelope = new Envelope(json, config.gateway.id);
    this.stats = stats;
    this.gatewayId = Envelope.constant("edgegate_gateway", config.gateway.id);
    this.site =
        pipeline.registry.site == null
            ? null
            : Envelope.constant("edgegate_site", pipeline.registry.site);
    this.routing = new Routing(config);
    this.devices = new DeviceLookup(registry, pipeline.registry, stats, owner);
    this.bodies = new BodyParsing(json);
    this.duplicates = new Deduplication(pipeline.duplicates, stats, owner);
    this.validation = new SchemaValidation(schemas);
    this.schemas = schemas;
    this.versions = versions;
    this.deviceTime = new DeviceTime(stats, owner);
    this.enrichment = new Enrichment(envelope, owner);
    this.deadLetters = new DeadLetterRecords(config, envelope, gatewayId, stats);
  }

  /**
   * The processor the gateway runs with {@code config}: its registry read and its schemas compiled.
   * Blocking (files): call off the event loop.
   */
  public static EventProcessor load(GatewayConfig config, PipelineStats stats)
      throws java.io.IOException {
    return load(config, stats, null);
  }

  /**
   * As {@link #load(GatewayConfig, PipelineStats)}, counting schema versions in {@code versions}.
   */
  public static EventProcessor load(
      GatewayConfig config, PipelineStats stats, SchemaVersions versions)
      throws java.io.IOException {
    ObjectMapper json = new ObjectMapper();
    DeviceRegistry registry =
        config.pipeline.registry.file == null
            ? DeviceRegistry.none()
            : new DeviceRegistry(config.pipeline.registry.file);
    registry.reloadIfChanged();
    return new EventProcessor(
        config, json, registry, SchemaCatalog.load(config.pipeline.schemas, json), stats, versions);
  }

  /**
   * Bytes of heap a record built here holds while it waits for Kafka: what the forward budget
   * ({@code forward.maxBufferedBytes}) counts. The formula is on {@code Envelope.weight}.
   */
  public static int recordWeight(ProducerRecord<String, byte[]> record) {
    return Envelope.weight(record);
  }

  /** The registry it reads; its owner reloads it. */
  DeviceRegistry registry() {
    return devices.registry();
  }

  /**
   * Gives the schema-version tracking this processor's schemas (their rows and meters appear at 0,
   * and the current versions are this configuration's). On the pipeline's loop, when the processor
   * is put to work — not in the constructor, which runs off the loop — else on its first event.
   */
  void adoptVersions() {
    assert owner.check();
    if (versions != null) {
      versions.adopt(schemas);
    }
    versionsAdopted = true;
  }

  /** The record for {@code e}, or null when it is a suppressed repeat. */
  public ProducerRecord<String, byte[]> process(JournalEvent e) {
    assert owner.check();
    if (!versionsAdopted) {
      adoptVersions();
    }
    if (e.topic().startsWith(ReservedTopics.LIFECYCLE)) {
      return lifecycle(e);
    }
    if (e.payload().length > pipeline.maxPayloadBytes) {
      return deadLetter(
          e,
          DeadLetterReason.PAYLOAD_TOO_LARGE,
          e.payload().length + " bytes, pipeline.maxPayloadBytes is " + pipeline.maxPayloadBytes,
          null,
          null);
    }
    RouteTable.Match<CompiledRoute> match = routing.match(e.topic());
    CompiledRoute route = match != null ? match.route() : routing.unmatched();
    if (route == null) {
      return deadLetter(
          e, DeadLetterReason.UNMATCHED_TOPIC, "no route matches topic " + e.topic(), null, null);
    }
    Map<String, String> vars = Routing.variables(match, e);
    String deviceId = DeviceLookup.deviceId(vars, e);
    PipelineConfig.Route rule = route.rule();
    List<Header> extra = gatewayHeaders(4);
    Map<String, String> meta = devices.metadata(deviceId);
    if (devices.refuses(meta, extra)) {
      return deadLetter(
          e,
          DeadLetterReason.UNKNOWN_DEVICE,
          "device " + deviceId + " is not in the registry",
          null,
          null);
    }

    boolean jsonBody = BodyParsing.parses(rule);
    ObjectNode body = null;
    if (jsonBody) {
      JsonNode parsed;
      try {
        parsed = bodies.parse(e);
      } catch (IOException ex) {
        return deadLetter(e, DeadLetterReason.NOT_JSON, firstLine(ex), null, null);
      }
      if (parsed == null) {
        return deadLetter(e, DeadLetterReason.NOT_JSON, "empty payload", null, null);
      }
      if (parsed instanceof ObjectNode o) {
        body = o;
      } else if (BodyParsing.needsObject(rule)) {
        return deadLetter(
            e,
            DeadLetterReason.NOT_JSON_OBJECT,
            "the payload is JSON but not an object",
            null,
            null);
      }
    }

    if (duplicates.repeat(e, deviceId, body)) {
      return null;
    }

    String dataschema = null;
    boolean bodyChanged = false;
    if (route.schema() != null && body != null) {
      String schemaName = route.schema().render(vars);
      String version = ClaimedVersion.of(rule.version, e, body, vars);
      SchemaCatalog.Prepared p = validation.prepare(schemaName, version, body);
      if (!p.valid()) {
        return deadLetter(
            e,
            DeadLetterReason.SCHEMA_INVALID,
            p.problem(),
            p.path(),
            schemaName + (version == null ? "" : ":" + version));
      }
      dataschema = p.dataschema();
      bodyChanged = SchemaValidation.upcasts(version);
      if (versions != null) {
        versions.record(schemaName, p.version(), deviceId, e.receivedAtMillis());
      }
    }

    if (rule.deviceTime != null && body != null) {
      deviceTime.stamp(e, body, rule.deviceTime, extra);
    }
    bodyChanged |= enrichment.enrich(e, rule, deviceId, meta, body, extra);

    byte[] data = e.payload();
    if (bodyChanged) {
      try {
        data = json.writeValueAsBytes(body);
      } catch (JsonProcessingException ex) {
        return deadLetter(e, DeadLetterReason.NOT_JSON, firstLine(ex), null, null);
      }
    }
    return routed(e, route, vars, dataschema, data, jsonBody, extra);
  }

  /**
   * The record of an event on {@code route}: topic, key and type rendered from the route's
   * templates. Its content type is the event's own (MQTT 5), else {@code application/json} on a
   * JSON route, else {@code pipeline.contentType}: a decision, never a guess from the bytes.
   */
  private ProducerRecord<String, byte[]> routed(
      JournalEvent e,
      CompiledRoute route,
      Map<String, String> vars,
      String dataschema,
      byte[] data,
      boolean jsonBody,
      List<Header> extra) {
    // null: the event's own, whose bytes the envelope reuses
    String contentType =
        e.contentTypeUtf8() != null ? null : jsonBody ? "application/json" : pipeline.contentType;
    Envelope.Attributes a =
        new Envelope.Attributes(
            route.topic().render(vars),
            route.key().render(vars),
            route.type().render(vars),
            contentType,
            dataschema,
            data,
            jsonBody,
            route.rule().envelope);
    return envelope.record(e, a, extra);
  }

  private ProducerRecord<String, byte[]> lifecycle(JournalEvent e) {
    String kind = e.topic().substring(ReservedTopics.LIFECYCLE.length());
    Envelope.Attributes a =
        new Envelope.Attributes(
            pipeline.lifecycle.topic,
            e.clientId(),
            "io.edgegate.device." + kind,
            "application/json",
            null,
            e.payload(),
            true,
            PipelineConfig.Envelope.BINARY);
    return envelope.record(e, a, gatewayHeaders(2));
  }

  /** A new list of extra headers, {@code edgegate_gateway} and {@code edgegate_site} in it. */
  private List<Header> gatewayHeaders(int capacity) {
    List<Header> extra = new ArrayList<>(capacity);
    extra.add(gatewayId);
    if (site != null) {
      extra.add(site);
    }
    return extra;
  }

  private ProducerRecord<String, byte[]> deadLetter(
      JournalEvent e, DeadLetterReason reason, String error, String path, String schema) {
    return deadLetters.record(e, reason, error, path, schema);
  }

  private static String firstLine(Exception ex) {
    String m = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
