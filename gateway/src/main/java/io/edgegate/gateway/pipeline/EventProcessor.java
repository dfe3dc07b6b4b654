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
import io.edgegate.gateway.pipeline.route.Template;
import io.edgegate.gateway.pipeline.schema.JsonPaths;
import io.edgegate.gateway.pipeline.schema.SchemaCatalog;
import io.edgegate.gateway.thread.Confinement;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Decides what becomes of one journaled event: which topic, key and type (the first matching
 * route), what metadata it carries (the device registry), whether it is valid (JSON, its schema
 * version), whether it is a repeat (the device's message id), and how it is enveloped. The result
 * is the record to send — to its topic, or to the dead-letter topic with the reason in headers — or
 * null for a suppressed repeat. Never throws on bad input: a poison event becomes a dead letter, so
 * the pipeline never stalls on it.
 *
 * <p><b>Confined to the pipeline's event loop</b> (the duplicate memory is not thread-safe); the
 * registry and schemas it reads are swapped or immutable.
 */
public final class EventProcessor {
  private final Confinement.Owner owner = Confinement.firstCaller();

  private final GatewayConfig config;
  private final PipelineConfig pipeline;
  private final ObjectMapper json;
  private final Envelope envelope;
  private final RouteTable<CompiledRoute> routes = new RouteTable<>();
  private final DeviceRegistry registry;
  private final SchemaCatalog schemas;
  private final RecentMessageIds recentIds;
  private final PipelineStats stats;
  private static final Header DEVICE_UNKNOWN = Envelope.constant("edgegate_device_unknown", "true");
  private final Header gatewayId;
  private final Header site;
  private final CompiledRoute unmatchedRoute;

  private record CompiledRoute(
      PipelineConfig.Route rule, Template topic, Template key, Template type, Template schema) {}

  public EventProcessor(
      GatewayConfig config,
      ObjectMapper json,
      DeviceRegistry registry,
      SchemaCatalog schemas,
      PipelineStats stats) {
    this.config = config;
    this.pipeline = config.pipeline;
    this.json = json;
    this.envelope = new Envelope(json, config.gateway.id);
    this.registry = registry;
    this.schemas = schemas;
    this.stats = stats;
    this.gatewayId = Envelope.constant("edgegate_gateway", config.gateway.id);
    this.site =
        pipeline.registry.site == null
            ? null
            : Envelope.constant("edgegate_site", pipeline.registry.site);
    this.recentIds =
        pipeline.duplicates.field == null && pipeline.duplicates.userProperty == null
            ? null
            : new RecentMessageIds(pipeline.duplicates.window, pipeline.duplicates.maxDevices);
    if (config.commands.enabled) {
      // Device responses to commands (MQTT 5 request/response) go to their own topic, keyed by
      // device; first, so that a broad configured route does not swallow them.
      PipelineConfig.Route responses = new PipelineConfig.Route();
      responses.match = config.commands.responseTopic;
      responses.topic = config.commands.responsesTopic;
      routes.add(responses.match, compile(responses));
    }
    for (PipelineConfig.Route r : pipeline.routes) {
      routes.add(r.match, compile(r));
    }
    PipelineConfig.Route fallback = new PipelineConfig.Route();
    fallback.match = "#";
    fallback.topic = pipeline.unmatched.topic;
    unmatchedRoute = compile(fallback);
  }

  /**
   * The processor the gateway runs with {@code config}: its registry read and its schemas compiled.
   * Blocking (files): call off the event loop.
   */
  public static EventProcessor load(GatewayConfig config, PipelineStats stats)
      throws java.io.IOException {
    ObjectMapper json = new ObjectMapper();
    DeviceRegistry registry =
        config.pipeline.registry.file == null
            ? DeviceRegistry.none()
            : new DeviceRegistry(config.pipeline.registry.file);
    registry.reloadIfChanged();
    return new EventProcessor(
        config, json, registry, SchemaCatalog.load(config.pipeline.schemas, json), stats);
  }

  private CompiledRoute compile(PipelineConfig.Route r) {
    return new CompiledRoute(
        r,
        Template.of(r.topic != null ? r.topic : config.kafka.topic),
        Template.of(r.key != null ? r.key : "{clientId}"),
        Template.of(r.type != null ? r.type : pipeline.eventType),
        r.schema == null ? null : Template.of(r.schema));
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
    return registry;
  }

  /** The record for {@code e}, or null when it is a suppressed repeat. */
  public ProducerRecord<String, byte[]> process(JournalEvent e) {
    assert owner.check();
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
    RouteTable.Match<CompiledRoute> match = routes.match(e.topic());
    CompiledRoute route;
    Map<String, String> vars;
    if (match != null) {
      route = match.route();
      vars = match.captured(); // a new map per match, ours to add to
    } else if (pipeline.unmatched.policy == PipelineConfig.Unmatched.Policy.DEAD_LETTER) {
      return deadLetter(
          e, DeadLetterReason.UNMATCHED_TOPIC, "no route matches topic " + e.topic(), null, null);
    } else {
      route = unmatchedRoute;
      vars = new HashMap<>(2);
    }
    vars.put("clientId", e.clientId());
    String deviceId = vars.getOrDefault("deviceId", e.clientId());
    PipelineConfig.Route rule = route.rule();
    List<Header> extra = new ArrayList<>(4);
    extra.add(gatewayId);
    if (site != null) {
      extra.add(site);
    }

    Map<String, String> meta = registry.lookup(deviceId);
    if (meta == null && registry.configured()) {
      stats.unknownDevice();
      switch (pipeline.registry.unknownDevices) {
        case DEAD_LETTER -> {
          return deadLetter(
              e,
              DeadLetterReason.UNKNOWN_DEVICE,
              "device " + deviceId + " is not in the registry",
              null,
              null);
        }
        case ACCEPT_AND_FLAG -> extra.add(DEVICE_UNKNOWN);
        case ACCEPT -> {}
      }
    }

    // The body, parsed only when something needs it.
    boolean jsonBody = rule.format == PipelineConfig.Format.JSON;
    ObjectNode body = null;
    boolean bodyChanged = false;
    if (jsonBody) {
      JsonNode parsed;
      try {
        parsed = json.readTree(e.payload());
      } catch (IOException ex) {
        return deadLetter(e, DeadLetterReason.NOT_JSON, firstLine(ex), null, null);
      }
      if (parsed == null || parsed.isMissingNode()) {
        return deadLetter(e, DeadLetterReason.NOT_JSON, "empty payload", null, null);
      }
      if (!(parsed instanceof ObjectNode o)) {
        if (rule.schema != null
            || rule.enrichment == PipelineConfig.Enrichment.FAT
            || rule.deviceTime != null) {
          return deadLetter(
              e,
              DeadLetterReason.NOT_JSON_OBJECT,
              "the payload is JSON but not an object",
              null,
              null);
        }
      } else {
        body = o;
      }
    }

    if (recentIds != null) {
      String messageId = messageId(e, body);
      if (messageId != null && recentIds.seenBefore(deviceId, messageId)) {
        stats.duplicateSuppressed();
        return null;
      }
    }

    String dataschema = null;
    if (route.schema() != null && body != null) {
      String schemaName = route.schema().render(vars);
      String version = version(rule.version, e, body, vars);
      SchemaCatalog.Prepared p = schemas.prepare(schemaName, version, body);
      if (!p.valid()) {
        return deadLetter(
            e,
            DeadLetterReason.SCHEMA_INVALID,
            p.problem(),
            p.path(),
            schemaName + (version == null ? "" : ":" + version));
      }
      dataschema = p.dataschema();
      bodyChanged = version != null; // upcast may have changed it
    }

    if (rule.deviceTime != null && body != null) {
      Long deviceMillis = deviceTime(body, rule.deviceTime);
      if (deviceMillis != null) {
        long skew = e.receivedAtMillis() - deviceMillis;
        stats.deviceClockSkew(skew);
        extra.add(new RecordHeader("edgegate_device_time", HeaderValues.instant(deviceMillis)));
        extra.add(new RecordHeader("edgegate_clock_skew_ms", Envelope.bytes(Long.toString(skew))));
      }
    }

    if (rule.enrichment == PipelineConfig.Enrichment.FAT && meta != null) {
      for (Map.Entry<String, String> m : meta.entrySet()) {
        extra.add(new RecordHeader("edgegate_device_" + m.getKey(), Envelope.bytes(m.getValue())));
      }
      if (body != null) {
        ObjectNode device = body.putObject("_device");
        device.put("id", deviceId);
        meta.forEach(device::put);
        bodyChanged = true;
      }
    } else {
      extra.add(envelope.device(deviceId, e));
    }

    byte[] data = e.payload();
    if (bodyChanged) {
      try {
        data = json.writeValueAsBytes(body);
      } catch (JsonProcessingException ex) {
        return deadLetter(e, DeadLetterReason.NOT_JSON, firstLine(ex), null, null);
      }
    }
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
            rule.envelope);
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
    List<Header> extra = new ArrayList<>(2);
    extra.add(gatewayId);
    if (site != null) {
      extra.add(site);
    }
    return envelope.record(e, a, extra);
  }

  /** The dead-letter record: the payload as received, and why, in headers. */
  private ProducerRecord<String, byte[]> deadLetter(
      JournalEvent e, DeadLetterReason reason, String error, String path, String schema) {
    stats.invalid(reason);
    List<Header> extra = new ArrayList<>(7);
    extra.add(gatewayId);
    extra.add(new RecordHeader("edgegate_dlq_reason", Envelope.bytes(reason.tag())));
    extra.add(
        new RecordHeader(
            "edgegate_dlq_error", Envelope.bytes(error == null ? reason.tag() : error)));
    extra.add(new RecordHeader("edgegate_dlq_original_topic", e.topicUtf8()));
    extra.add(new RecordHeader("edgegate_dlq_client_id", e.clientIdUtf8()));
    if (path != null) {
      extra.add(new RecordHeader("edgegate_dlq_error_path", Envelope.bytes(path)));
    }
    if (schema != null) {
      extra.add(new RecordHeader("edgegate_dlq_schema", Envelope.bytes(schema)));
    }
    boolean tooLarge = reason == DeadLetterReason.PAYLOAD_TOO_LARGE;
    Envelope.Attributes a =
        new Envelope.Attributes(
            config.kafka.deadLetterTopic,
            e.clientId(),
            pipeline.eventType,
            e.contentTypeUtf8() != null ? null : pipeline.contentType,
            null,
            tooLarge ? new byte[0] : e.payload(),
            false,
            PipelineConfig.Envelope.BINARY);
    return envelope.record(e, a, extra);
  }

  private String messageId(JournalEvent e, ObjectNode body) {
    if (pipeline.duplicates.userProperty != null) {
      for (JournalEvent.UserProperty p : e.userProperties()) {
        if (p.name().equals(pipeline.duplicates.userProperty)) {
          return p.value();
        }
      }
      return null;
    }
    JsonNode id = body == null ? null : JsonPaths.at(body, pipeline.duplicates.field);
    return id == null || id.isNull() || id.isContainerNode() ? null : id.asText();
  }

  private static String version(
      PipelineConfig.VersionSource source,
      JournalEvent e,
      ObjectNode body,
      Map<String, String> vars) {
    if (source == null) {
      return null;
    }
    if (source.segment != null) {
      return vars.get(source.segment);
    }
    if (source.userProperty != null) {
      for (JournalEvent.UserProperty p : e.userProperties()) {
        if (p.name().equals(source.userProperty)) {
          return p.value();
        }
      }
      return null;
    }
    JsonNode v = JsonPaths.at(body, source.field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Long deviceTime(ObjectNode body, String field) {
    JsonNode t = JsonPaths.at(body, field);
    if (t == null) {
      return null;
    }
    if (t.isNumber()) {
      long v = t.asLong();
      return v < 100_000_000_000L ? v * 1000 : v; // seconds or milliseconds since the epoch
    }
    try {
      return Instant.parse(t.asText()).toEpochMilli();
    } catch (RuntimeException ex) {
      return null;
    }
  }

  private static String firstLine(Exception ex) {
    String m = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
