package io.edgegate.gateway.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The binary layout of a journal entry. The first byte is the format version, so that a newer
 * gateway can still read entries an older one wrote. Entries are written in the newest format;
 * every older format stays readable (a journal outlives upgrades: its backlog is forwarded by the
 * new version).
 *
 * <pre>
 * format 1 (0.1):
 * u8 format(1) | i64 id-msb | i64 id-lsb | i64 received-ms | u8 qos
 * | utf8 client-id | utf8 topic | utf8? content-type
 * | stop-bit n, n × (utf8 name, utf8 value) | stop-bit length, payload bytes
 *
 * format 2 (MQTT 5 request/response and expiry), the same up to the user properties, then:
 * | i64 expires-at-ms (0 = never) | utf8? response-topic
 * | stop-bit (correlation length + 1; 0 = none), correlation bytes | u8 payload-format
 * | stop-bit length, payload bytes
 * </pre>
 *
 * ({@code utf8?} is Chronicle's stop-bit length-prefixed UTF-8 that can hold null.)
 */
final class JournalCodec {
  static final byte FORMAT_1 = 1;
  static final byte FORMAT_2 = 2;
  private static final int MAX_USER_PROPERTIES = 4096;
  // An MQTT 5 Binary Data property is at most 65,535 bytes (MQTT 5 §1.5.6).
  private static final int MAX_CORRELATION_BYTES = 65_535;

  private JournalCodec() {}

  static void write(Bytes<?> out, JournalEvent e) {
    out.writeByte(FORMAT_2);
    out.writeLong(e.eventId().getMostSignificantBits());
    out.writeLong(e.eventId().getLeastSignificantBits());
    out.writeLong(e.receivedAtMillis());
    out.writeByte((byte) e.qos());
    out.writeUtf8(e.clientId());
    out.writeUtf8(e.topic());
    out.writeUtf8(e.contentType());
    out.writeStopBit(e.userProperties().size());
    for (JournalEvent.UserProperty p : e.userProperties()) {
      out.writeUtf8(p.name());
      out.writeUtf8(p.value());
    }
    out.writeLong(e.expiresAtMillis());
    out.writeUtf8(e.responseTopic());
    byte[] correlation = e.correlationData();
    if (correlation == null) {
      out.writeStopBit(0);
    } else {
      out.writeStopBit(correlation.length + 1L);
      out.write(correlation);
    }
    out.writeByte((byte) e.payloadFormat());
    out.writeStopBit(e.payload().length);
    out.write(e.payload());
  }

  /** Decodes one entry; a damaged or unknown entry throws {@link CorruptEntryException}. */
  static JournalEvent read(Bytes<?> in, long index) {
    try {
      byte format = in.readByte();
      if (format != FORMAT_1 && format != FORMAT_2) {
        throw new CorruptEntryException(index, "unknown entry format " + format);
      }
      UUID id = new UUID(in.readLong(), in.readLong());
      long receivedAt = in.readLong();
      int qos = in.readByte();
      String clientId = in.readUtf8();
      String topic = in.readUtf8();
      String contentType = in.readUtf8();
      long n = in.readStopBit();
      if (n < 0
          || n > MAX_USER_PROPERTIES
          || clientId == null
          || topic == null
          || qos < 0
          || qos > 2) {
        throw new CorruptEntryException(index, "implausible header fields");
      }
      List<JournalEvent.UserProperty> props = n == 0 ? List.of() : new ArrayList<>((int) n);
      for (int i = 0; i < n; i++) {
        props.add(new JournalEvent.UserProperty(in.readUtf8(), in.readUtf8()));
      }
      long expiresAt = JournalEvent.NEVER;
      String responseTopic = null;
      byte[] correlation = null;
      int payloadFormat = JournalEvent.PAYLOAD_UNSPECIFIED;
      if (format == FORMAT_2) {
        expiresAt = in.readLong();
        responseTopic = in.readUtf8();
        long c = in.readStopBit();
        if (c < 0 || c - 1 > MAX_CORRELATION_BYTES || c - 1 > in.readRemaining()) {
          throw new CorruptEntryException(index, "implausible correlation data length " + (c - 1));
        }
        if (c > 0) {
          correlation = new byte[(int) c - 1];
          in.read(correlation);
        }
        payloadFormat = in.readByte();
        if (expiresAt < 0
            || (payloadFormat != JournalEvent.PAYLOAD_UNSPECIFIED
                && payloadFormat != JournalEvent.PAYLOAD_UTF8)) {
          throw new CorruptEntryException(index, "implausible MQTT 5 fields");
        }
      }
      long length = in.readStopBit();
      if (length < 0 || length > in.readRemaining()) {
        throw new CorruptEntryException(
            index,
            "payload length " + length + " exceeds the entry (" + in.readRemaining() + " left)");
      }
      byte[] payload = new byte[(int) length];
      in.read(payload);
      return new JournalEvent(
          index,
          id,
          receivedAt,
          qos,
          clientId,
          topic,
          contentType,
          props,
          expiresAt,
          responseTopic,
          correlation,
          payloadFormat,
          payload);
    } catch (CorruptEntryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CorruptEntryException(index, e.toString());
    }
  }
}
