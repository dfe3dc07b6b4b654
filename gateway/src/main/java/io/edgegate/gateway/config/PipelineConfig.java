package io.edgegate.gateway.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code pipeline.*}: how a journaled MQTT message becomes an event in Kafka — routing, device
 * metadata, the envelope, validation, schema versions, duplicates, device lifecycle.
 */
public final class PipelineConfig {
  private static final Pattern TEMPLATE_VAR = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

  @KeyDoc("`ce_type` of events no route names a type for.")
  public String eventType = "io.edgegate.mqtt.publish";

  @KeyDoc(
      "`content-type` header when the device does not send one (MQTT 5 content type): a"
          + " decision written here, never a guess from the bytes.")
  public String contentType = "application/octet-stream";

  @KeyDoc(
      "Payloads larger than this go to the dead-letter topic (reason "
          + "`payload-too-large`); 1 byte to 256MiB.")
  @JsonDeserialize(using = ConfigValues.SizeDeserializer.class)
  public long maxPayloadBytes = 256 * 1024;

  @KeyDoc(
      "Topic rules, first match wins; matching cost does not grow with the number of "
          + "rules. Empty: every event to `kafka.topic`.")
  public List<Route> routes = new ArrayList<>();

  @KeyDoc("What happens to events no route matches.")
  public Unmatched unmatched = new Unmatched();

  @KeyDoc(
      "The device registry file: metadata by device id, picked up without a restart or "
          + "a pause in traffic when it changes.")
  public Registry registry = new Registry();

  @KeyDoc("JSON Schemas by name, each with its versions; routes name them in `schema`.")
  public Map<String, SchemaSet> schemas = new LinkedHashMap<>();

  @KeyDoc(
      "Device-supplied message ids: a repeat within the window is suppressed (counted "
          + "in `edgegate_events_duplicates_suppressed_total`). Set `field` or "
          + "`userProperty`, not both.")
  public Duplicates duplicates = new Duplicates();

  @KeyDoc(
      "Connect, clean disconnect and connection loss (with the device's Last Will) "
          + "become events on `topic`, keyed by device id and journaled like any other event,"
          + " so they keep their order.")
  public Lifecycle lifecycle = new Lifecycle();

  /** How an event's payload is treated. */
  public enum Format {
    /** Bytes as they came; no validation or enrichment of the body. */
    BINARY,
    /** Must be a JSON document: anything else goes to the dead-letter topic. */
    JSON
  }

  /** Where device metadata goes. */
  public enum Enrichment {
    /** Only a reference: the {@code edgegate_device} header; consumers look metadata up. */
    SPARSE,
    /**
     * Metadata as {@code edgegate_device_*} headers and, for JSON bodies, under {@code _device}.
     */
    FAT
  }

  /** CloudEvents Kafka protocol binding mode. */
  public enum Envelope {
    /** {@code ce_*} headers, value = the data. */
    BINARY,
    /** One {@code application/cloudevents+json} document holding attributes and data. */
    STRUCTURED
  }

  /**
   * {@code match: devices/{deviceId}/{kind}} — a topic pattern: literal levels, {@code {name}} for
   * one level (captured), and a trailing {@code #} for any rest. Templates ({@code topic}, {@code
   * key}, {@code type}, {@code schema}) use the captured names plus {@code {clientId}}.
   */
  public static final class Route {
    @KeyDoc(
        "A topic pattern (`devices/{deviceId}/{kind}`): literal levels, `{name}` for one "
            + "level (captured), and a trailing `#` for any rest. Templates (`topic`, `key`, "
            + "`type`, `schema`) use the captured names plus `{clientId}`. Required.")
    public String match;

    @KeyDoc("Kafka topic template; default `kafka.topic`.")
    public String topic;

    @KeyDoc("Kafka key template; default `{clientId}` (the device id keeps per-device order).")
    public String key = "{clientId}";

    @KeyDoc("`ce_type` template; default `pipeline.eventType`.")
    public String type;

    @KeyDoc("Schema name (a key of `pipeline.schemas`) or template; none: no validation.")
    public String schema;

    @KeyDoc("Where the payload's schema version is found; none: the schema's current version.")
    public VersionSource version;

    @KeyDoc(
        "`binary`: the bytes as they came, no validation or enrichment of the body; "
            + "`json`: must be a JSON document, anything else goes to the dead-letter topic "
            + "(`not-json`, `not-json-object`). Must be `json` when `schema`, `deviceTime` or a"
            + " version field is set.")
    public Format format = Format.BINARY;

    @KeyDoc(
        "Where device metadata goes. `sparse`: only a reference, the `edgegate_device` "
            + "header; `fat`: metadata as `edgegate_device_*` headers and, for JSON bodies, "
            + "under `_device`.")
    public Enrichment enrichment = Enrichment.SPARSE;

    @KeyDoc(
        "CloudEvents Kafka protocol binding mode. `binary`: `ce_*` headers, value = the "
            + "data; `structured`: one `application/cloudevents+json` document holding "
            + "attributes and data.")
    public Envelope envelope = Envelope.BINARY;

    @KeyDoc("JSON field (dotted path) holding the device's own timestamp (epoch ms or ISO-8601).")
    public String deviceTime;
  }

  /** Where a payload says its schema version: exactly one of the three. */
  public static final class VersionSource {
    @KeyDoc("A JSON field, dotted path (e.g. `v` or `meta.version`).")
    public String field;

    @KeyDoc("A captured topic segment name of the route's `match`.")
    public String segment;

    @KeyDoc("An MQTT 5 user property.")
    public String userProperty;
  }

  /** {@code pipeline.unmatched.*}. */
  public static final class Unmatched {
    public enum Policy {
      DEFAULT_TOPIC,
      DEAD_LETTER
    }

    @KeyDoc(
        "`default-topic`: to `topic`; `dead-letter`: to `kafka.deadLetterTopic` with "
            + "reason `unmatched`.")
    public Policy policy = Policy.DEFAULT_TOPIC;

    @KeyDoc("With `default-topic`: where they go; default `kafka.topic`.")
    public String topic;
  }

  /** {@code pipeline.registry.*}. */
  public static final class Registry {
    public enum UnknownDevices {
      ACCEPT,
      ACCEPT_AND_FLAG,
      DEAD_LETTER
    }

    @KeyDoc("YAML (`deviceId: {site: …, model: …}`) or CSV (header row, first column the id).")
    public Path file;

    @KeyDoc("How often the file is checked for changes.")
    @JsonDeserialize(using = ConfigValues.DurationDeserializer.class)
    public Duration reloadInterval = Duration.ofSeconds(5);

    @KeyDoc(
        "Devices missing from the file: `accept`, `accept-and-flag` (header "
            + "`edgegate_device_unknown: true`) or `dead-letter`; only applies when a file is "
            + "configured.")
    public UnknownDevices unknownDevices = UnknownDevices.ACCEPT;

    @KeyDoc("This gateway's site, added to every event as `edgegate_site`.")
    public String site;
  }

  /** The versions of one schema. */
  public static final class SchemaSet {
    @KeyDoc("The version downstream consumers get; older versions are upcast to it.")
    public int current = 1;

    @KeyDoc("Version number → its JSON Schema file and how to upcast from it to the next version.")
    public Map<Integer, SchemaVersion> versions = new LinkedHashMap<>();
  }

  /** One version of a schema. */
  public static final class SchemaVersion {
    @KeyDoc("The JSON Schema (draft 2020-12 or 7, as declared in `$schema`).")
    public Path file;

    @KeyDoc("How an event of this version becomes one of the next version (applied in order).")
    public Upcast upcast;
  }

  /** A declarative upcast: rename fields, add defaults, drop fields (top-level or dotted paths). */
  public static final class Upcast {
    @KeyDoc("Old field name (or dotted path) → new name.")
    public Map<String, String> rename = new LinkedHashMap<>();

    @KeyDoc("Field → value, added when the event lacks the field.")
    public Map<String, Object> defaults = new LinkedHashMap<>();

    @KeyDoc("Fields (or dotted paths) removed.")
    public List<String> drop = new ArrayList<>();
  }

  /** {@code pipeline.duplicates.*}. */
  public static final class Duplicates {
    @KeyDoc("JSON field (dotted) with the device's message id; or `userProperty`.")
    public String field;

    @KeyDoc("An MQTT 5 user property with the device's message id; or `field`.")
    public String userProperty;

    @KeyDoc(value = "Ids remembered per device (1 to 100000).", unit = "ids")
    public int window = 256;

    @KeyDoc(
        value =
            "Devices remembered (least recently seen forgotten first), by duplicate suppression"
                + " and by the schema-version tracking (`edgegate_devices_on_old_schema`):"
                + " bounds the memory.",
        unit = "devices")
    public int maxDevices = 100_000;
  }

  /** {@code pipeline.lifecycle.*}. */
  public static final class Lifecycle {
    @KeyDoc("Turn lifecycle events on.")
    public boolean enabled = false;

    @KeyDoc("Kafka topic of the lifecycle events.")
    public String topic = "edgegate.device-status";
  }

  void validate(Problems problems) {
    problems.notBlank(eventType, "pipeline.eventType");
    problems.notBlank(contentType, "pipeline.contentType");
    problems.require(
        maxPayloadBytes >= 1 && maxPayloadBytes <= 256L * 1024 * 1024,
        "pipeline.maxPayloadBytes",
        "must be from 1 byte to 256MiB");
    for (int i = 0; i < routes.size(); i++) {
      validateRoute(problems, "pipeline.routes[" + i + "]", routes.get(i));
    }
    problems.require(
        unmatched.policy != null,
        "pipeline.unmatched.policy",
        "must be default-topic or dead-letter");
    problems.require(
        registry.reloadInterval != null && registry.reloadInterval.toMillis() >= 100,
        "pipeline.registry.reloadInterval",
        "must be at least 100ms");
    schemas.forEach(
        (name, set) -> {
          String key = "pipeline.schemas." + name;
          problems.require(
              set.versions.containsKey(set.current),
              key + ".current",
              "names version " + set.current + ", which is not among " + set.versions.keySet());
          set.versions.forEach(
              (v, sv) ->
                  problems.require(
                      sv != null && sv.file != null,
                      key + ".versions." + v + ".file",
                      "must be set"));
        });
    problems.require(
        duplicates.field == null || duplicates.userProperty == null,
        "pipeline.duplicates",
        "set field or userProperty, not both");
    problems.require(
        duplicates.window >= 1 && duplicates.window <= 100_000,
        "pipeline.duplicates.window",
        "must be from 1 to 100000");
    problems.require(
        duplicates.maxDevices >= 1 && duplicates.maxDevices <= 10_000_000,
        "pipeline.duplicates.maxDevices",
        "must be from 1 to 10000000");
    problems.notBlank(lifecycle.topic, "pipeline.lifecycle.topic");
  }

  private void validateRoute(Problems problems, String key, Route r) {
    if (r == null || r.match == null || r.match.isBlank()) {
      problems.add(key + ".match", "must be set (e.g. devices/{deviceId}/{kind})");
      return;
    }
    String[] levels = r.match.split("/", -1);
    java.util.Set<String> names = new java.util.HashSet<>();
    names.add("clientId");
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.equals("#")) {
        problems.require(i == levels.length - 1, key + ".match", "'#' may only be the last level");
      } else if (level.startsWith("{")) {
        var m = TEMPLATE_VAR.matcher(level);
        if (!m.matches()) {
          problems.add(key + ".match", "level '" + level + "' must be {name} or a literal");
        } else if (!names.add(m.group(1))) {
          problems.add(key + ".match", "names '" + m.group(1) + "' twice (or uses clientId)");
        }
      } else if (level.contains("+") || level.contains("{") || level.contains("}")) {
        problems.add(key + ".match", "level '" + level + "' mixes a literal with a wildcard");
      }
    }
    for (var t :
        new String[][] {
          {"topic", r.topic}, {"key", r.key}, {"type", r.type}, {"schema", r.schema}
        }) {
      if (t[1] == null) {
        continue;
      }
      var m = TEMPLATE_VAR.matcher(t[1]);
      while (m.find()) {
        problems.require(
            names.contains(m.group(1)),
            key + "." + t[0],
            "uses {" + m.group(1) + "}, which the match does not capture (it has " + names + ")");
      }
    }
    if (r.schema != null && !r.schema.contains("{")) {
      problems.require(
          schemas.containsKey(r.schema),
          key + ".schema",
          "names '" + r.schema + "', which is not in pipeline.schemas " + schemas.keySet());
    }
    if (r.version != null) {
      int set =
          (r.version.field != null ? 1 : 0)
              + (r.version.segment != null ? 1 : 0)
              + (r.version.userProperty != null ? 1 : 0);
      problems.require(
          set == 1, key + ".version", "set exactly one of field, segment, userProperty");
      problems.require(
          r.version.segment == null || names.contains(r.version.segment),
          key + ".version.segment",
          "names '" + r.version.segment + "', which the match does not capture");
      problems.require(r.schema != null, key + ".version", "needs a schema");
    }
    boolean needsJson =
        r.schema != null || r.deviceTime != null || (r.version != null && r.version.field != null);
    problems.require(
        !needsJson || r.format == Format.JSON,
        key + ".format",
        "must be json when schema, deviceTime or a version field is set");
  }
}
