package io.edgegate.gateway.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.gateway.config.PipelineConfig;
import io.edgegate.gateway.journal.JournalEvent;
import io.edgegate.gateway.thread.Confinement;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The CloudEvents 1.0 envelope of an event, in Kafka's binary mode ({@code ce_*} headers, value =
 * the data) or structured mode (one {@code application/cloudevents+json} document). In both modes
 * {@code traceparent}/{@code tracestate} and the {@code mqtt_*}/{@code edgegate_*} headers travel
 * as Kafka headers, so tracing and routing tools need not parse values.
 *
 * <p>An MQTT 5 request's response topic and correlation data travel as {@code mqtt_response_topic}
 * and {@code mqtt_correlation_data} (the raw bytes) headers in both modes, and in structured mode
 * also as the extension attributes {@code mqttresponsetopic} and {@code mqttcorrelationdata}
 * (base64), so a responder can answer the device on the topic it asked for. (CloudEvents attribute
 * names are lower-case letters and digits only.)
 *
 * <p>The bytes are built once where they can be: constant headers are shared instances, those of a
 * device (its {@code ce_source}, {@code edgegate_device}) and of a route ({@code ce_type}, {@code
 * content-type}, {@code ce_dataschema}) come from bounded caches, the client id and topic are the
 * journal entry's own UTF-8 bytes, and the event id, {@code ce_time} and {@code traceparent} are
 * written straight into bytes. The values are the same, byte for byte, as their {@code String}
 * forms encoded (see {@link HeaderValues}).
 *
 * <p><b>Confined to the pipeline's event loop</b>, like the {@link EventProcessor} that owns it
 * (its caches are not thread-safe).
 */
final class Envelope {
  private final Confinement.Owner owner = Confinement.firstCaller();
  static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
  static final String RESPONSE_TOPIC_HEADER = "mqtt_response_topic";
  static final String CORRELATION_DATA_HEADER = "mqtt_correlation_data";
  static final String EXPIRES_AT_HEADER = "mqtt_expires_at";
  static final String PAYLOAD_FORMAT_HEADER = "mqtt_payload_format_indicator";
  static final String RESPONSE_TOPIC_ATTRIBUTE = "mqttresponsetopic";
  static final String CORRELATION_DATA_ATTRIBUTE = "mqttcorrelationdata";
  private static final String USER_PROPERTY_PREFIX = "mqtt_user_";

  /**
   * Devices whose {@code ce_source} and {@code edgegate_device} headers are kept: about 180 bytes
   * each, at most 1.5 MB for both tables.
   */
  static final int DEVICES_CACHED = 4096;

  /** Distinct types, content types, schemas and user property names whose headers are kept. */
  static final int ROUTE_VALUES_CACHED = 256;

  private static final Header SPEC_VERSION = constant("ce_specversion", "1.0");
  private static final Header STRUCTURED = constant("content-type", STRUCTURED_CONTENT_TYPE);
  private static final Header PAYLOAD_UTF8 = constant(PAYLOAD_FORMAT_HEADER, "1");
  private static final Header[] QOS = {
    constant("mqtt_qos", "0"), constant("mqtt_qos", "1"), constant("mqtt_qos", "2")
  };

  private final ObjectMapper json;
  private final byte[] sourcePrefix;
  private final HeaderCache sources = new HeaderCache("ce_source", DEVICES_CACHED);
  private final HeaderCache devices = new HeaderCache("edgegate_device", DEVICES_CACHED);
  private final HeaderCache types = new HeaderCache("ce_type", ROUTE_VALUES_CACHED);
  private final HeaderCache contentTypes = new HeaderCache("content-type", ROUTE_VALUES_CACHED);
  private final HeaderCache schemas = new HeaderCache("ce_dataschema", ROUTE_VALUES_CACHED);
  private final Map<String, String> userHeaderNames = bounded(ROUTE_VALUES_CACHED);

  Envelope(ObjectMapper json, String gatewayId) {
    this.json = json;
    this.sourcePrefix = bytes("edgegate://" + gatewayId + "/");
  }

  /**
   * What an event says about itself, beyond the journal entry. {@code contentType} null means the
   * event's own (its MQTT 5 content type), which it then must have.
   */
  record Attributes(
      String topic,
      String key,
      String type,
      String contentType,
      String dataschema,
      byte[] data,
      boolean dataIsJson,
      PipelineConfig.Envelope mode) {}

  /** A header whose value never changes; shared by every record. */
  static Header constant(String name, String value) {
    return new RecordHeader(name, bytes(value));
  }

  /** The {@code edgegate_device} header of {@code deviceId}, reusing the event's bytes. */
  Header device(String deviceId, JournalEvent e) {
    assert owner.check();
    Header h = devices.find(deviceId);
    return h != null
        ? h
        : devices.add(deviceId, deviceId.equals(e.clientId()) ? e.clientIdUtf8() : bytes(deviceId));
  }

  private Header source(JournalEvent e) {
    Header h = sources.find(e.clientId());
    return h != null
        ? h
        : sources.add(e.clientId(), HeaderValues.urlEncoded(sourcePrefix, e.clientIdUtf8()));
  }

  ProducerRecord<String, byte[]> record(JournalEvent e, Attributes a, List<Header> extra) {
    assert owner.check();
    RecordHeaders h = new RecordHeaders();
    byte[] id = HeaderValues.uuid(e.eventId());
    byte[] time = HeaderValues.instant(e.receivedAtMillis());
    Header source = source(e);
    byte[] traceparent = null;
    String tracestate = null;
    for (JournalEvent.UserProperty p : e.userProperties()) {
      if (p.name().equals("traceparent") && TraceParent.isValid(p.value())) {
        traceparent = bytes(p.value());
      } else if (p.name().equals("tracestate")) {
        tracestate = p.value();
      }
    }
    if (traceparent == null) {
      traceparent = TraceParent.startBytesFor(e.eventId());
      tracestate = null;
    }
    byte[] value;
    if (a.mode() == PipelineConfig.Envelope.STRUCTURED) {
      value = structured(e, a, id, time, source.value(), traceparent, tracestate);
      h.add(STRUCTURED);
    } else {
      h.add(SPEC_VERSION);
      h.add(new RecordHeader("ce_id", id));
      h.add(source);
      h.add(types.get(a.type()));
      h.add(new RecordHeader("ce_time", time));
      if (a.dataschema() != null) {
        h.add(schemas.get(a.dataschema()));
      }
      h.add(
          a.contentType() == null
              ? new RecordHeader("content-type", e.contentTypeUtf8())
              : contentTypes.get(a.contentType()));
      value = a.data();
    }
    h.add(new RecordHeader("traceparent", traceparent));
    if (tracestate != null) {
      h.add(new RecordHeader("tracestate", bytes(tracestate)));
    }
    h.add(new RecordHeader("mqtt_topic", e.topicUtf8()));
    h.add(QOS[e.qos()]);
    if (e.responseTopic() != null) {
      h.add(new RecordHeader(RESPONSE_TOPIC_HEADER, bytes(e.responseTopic())));
    }
    if (e.correlationData() != null) {
      h.add(new RecordHeader(CORRELATION_DATA_HEADER, e.correlationData()));
    }
    if (e.expiresAtMillis() != JournalEvent.NEVER) {
      // The deadline, not the interval left: a consumer reads the record at a time of its own.
      h.add(new RecordHeader(EXPIRES_AT_HEADER, HeaderValues.instant(e.expiresAtMillis())));
    }
    if (e.payloadFormat() == JournalEvent.PAYLOAD_UTF8) {
      h.add(PAYLOAD_UTF8); // passed on unaltered [MQTT-3.3.2-4]
    }
    for (JournalEvent.UserProperty p : e.userProperties()) {
      if (!p.name().equals("traceparent") && !p.name().equals("tracestate")) {
        String name = userHeaderNames.computeIfAbsent(p.name(), n -> USER_PROPERTY_PREFIX + n);
        h.add(new RecordHeader(name, bytes(p.value())));
      }
    }
    for (Header x : extra) {
      h.add(x);
    }
    // ProducerRecord copies the headers into a list of their exact size.
    return new ProducerRecord<>(a.topic(), null, null, a.key(), value, h);
  }

  /**
   * Bytes of heap {@code r} holds while it waits for Kafka: what {@code forward.maxBufferedBytes}
   * counts. With a(n) = 16 + n rounded up to 8 (an array, or a Latin-1 string's value):
   *
   * <pre>
   *   40 + 56                  the record and the forwarder's entry for it
   * + 48 + a(4 n)              its n headers' list (RecordHeaders, ArrayList, array)
   * + Σ (32 + a(value))        per header: the header and its value
   * + a(value)                 the record's value
   * + 24 + a(topic) + 24 + a(key)          the topic and key Strings
   * </pre>
   *
   * Constant and cached headers count as if they were the record's own (an upper bound, as a budget
   * must be), the header names (string constants) not at all. For a record of 11 headers from a
   * 100-byte event JOL measures 1,168 bytes besides the names, 1,224 with the entry: what this
   * counts.
   */
  static int weight(ProducerRecord<String, byte[]> r) {
    long w = 40 + 56 + 48;
    int n = 0;
    for (Header x : r.headers()) {
      w += 32 + a(x.value() == null ? 0 : x.value().length);
      n++;
    }
    w += a(4L * n);
    if (r.value() != null) {
      w += a(r.value().length);
    }
    w += 24 + a(r.topic().length());
    if (r.key() != null) {
      w += 24 + a(r.key().length());
    }
    return (int) Math.min(Integer.MAX_VALUE, w);
  }

  private static long a(long n) {
    return (16 + n + 7) & ~7L;
  }

  private byte[] structured(
      JournalEvent e,
      Attributes a,
      byte[] id,
      byte[] time,
      byte[] source,
      byte[] traceparent,
      String tracestate) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(a.data().length + 512);
    try (JsonGenerator g = json.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("specversion", "1.0");
      utf8Field(g, "id", id);
      utf8Field(g, "source", source);
      g.writeStringField("type", a.type());
      utf8Field(g, "time", time);
      g.writeStringField(
          "datacontenttype", a.contentType() == null ? e.contentType() : a.contentType());
      if (a.dataschema() != null) {
        g.writeStringField("dataschema", a.dataschema());
      }
      utf8Field(g, "traceparent", traceparent);
      if (tracestate != null) {
        g.writeStringField("tracestate", tracestate);
      }
      if (e.responseTopic() != null) {
        g.writeStringField(RESPONSE_TOPIC_ATTRIBUTE, e.responseTopic());
      }
      if (e.correlationData() != null) {
        g.writeStringField(
            CORRELATION_DATA_ATTRIBUTE, Base64.getEncoder().encodeToString(e.correlationData()));
      }
      if (a.dataIsJson()) {
        g.writeFieldName("data");
        JsonNode data = json.readTree(a.data());
        g.writeTree(data);
      } else {
        g.writeStringField("data_base64", Base64.getEncoder().encodeToString(a.data()));
      }
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  private static void utf8Field(JsonGenerator g, String name, byte[] utf8) throws IOException {
    g.writeFieldName(name);
    g.writeUTF8String(utf8, 0, utf8.length);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static <K, V> Map<K, V> bounded(int max) {
    return new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }

  /**
   * Headers of one name by the string their value encodes: a fixed table of {@code slots} (a power
   * of two), each holding the last header whose string hashed to it. Memory is bounded by the
   * table; a string not found (evicted by another, or more devices than slots) is encoded again,
   * which costs what every event cost without the table, and takes its slot in O(1).
   */
  private static final class HeaderCache {
    private record Slot(String key, Header header) {}

    private final String name;
    private final Slot[] slots;

    HeaderCache(String name, int slots) {
      this.name = name;
      this.slots = new Slot[Integer.highestOneBit(Math.max(1, slots))];
    }

    private int slot(String key) {
      int h = key.hashCode();
      return (h ^ (h >>> 16)) & (slots.length - 1);
    }

    Header find(String key) {
      Slot s = slots[slot(key)];
      return s != null && s.key.equals(key) ? s.header : null;
    }

    Header add(String key, byte[] value) {
      Header h = new RecordHeader(name, value);
      slots[slot(key)] = new Slot(key, h);
      return h;
    }

    Header get(String key) {
      Header h = find(key);
      return h != null ? h : add(key, bytes(key));
    }
  }
}
