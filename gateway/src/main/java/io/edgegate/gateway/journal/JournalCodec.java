package io.edgegate.gateway.journal;

import java.nio.charset.StandardCharsets;
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
 *
 * format 3: the layout of format 2, with every string in standard UTF-8 (RFC 3629); written
 * only for an entry with a character outside the Basic Multilingual Plane.
 * </pre>
 *
 * ({@code utf8?} is Chronicle's stop-bit length-prefixed UTF-8 that can hold null: a stop-bit byte
 * length, -1 for null, then the bytes. Chronicle writes a character outside the Basic Multilingual
 * Plane as its two UTF-16 surrogates of three bytes each, which standard UTF-8 forbids. Format 3
 * writes those four bytes instead, so that the bytes of the client id, topic and content type are
 * what Kafka's headers carry, and the reader passes them on without decoding and re-encoding; in a
 * format 1 or 2 entry such a string is re-encoded as it is read.)
 */
final class JournalCodec {
  static final byte FORMAT_1 = 1;
  static final byte FORMAT_2 = 2;
  static final byte FORMAT_3 = 3;
  private static final int MAX_USER_PROPERTIES = 4096;
  // An MQTT 5 Binary Data property is at most 65,535 bytes (MQTT 5 §1.5.6).
  private static final int MAX_CORRELATION_BYTES = 65_535;

  private static final byte[][] NO_PROPERTIES = new byte[0][];
  private static final Utf8Interner STRINGS = new Utf8Interner();

  private JournalCodec() {}

  /**
   * Writes {@code e} in format 2 when it has no character outside the Basic Multilingual Plane (the
   * bytes are then the same in both), so that the release before can still read it after a
   * rollback; else in format 3.
   */
  static void write(Bytes<?> out, JournalEvent e) {
    List<JournalEvent.UserProperty> props = e.userProperties();
    byte[][] propBytes = props.isEmpty() ? NO_PROPERTIES : new byte[2 * props.size()][];
    for (int i = 0; i < props.size(); i++) {
      propBytes[2 * i] = utf8(props.get(i).name());
      propBytes[2 * i + 1] = utf8(props.get(i).value());
    }
    byte[] responseTopic = utf8(e.responseTopic());
    boolean beyondBmp =
        hasFourByteSequence(e.clientIdUtf8())
            || hasFourByteSequence(e.topicUtf8())
            || hasFourByteSequence(e.contentTypeUtf8())
            || hasFourByteSequence(responseTopic);
    for (byte[] b : propBytes) {
      beyondBmp |= hasFourByteSequence(b);
    }
    out.writeByte(beyondBmp ? FORMAT_3 : FORMAT_2);
    out.writeLong(e.eventId().getMostSignificantBits());
    out.writeLong(e.eventId().getLeastSignificantBits());
    out.writeLong(e.receivedAtMillis());
    out.writeByte((byte) e.qos());
    writeUtf8(out, e.clientIdUtf8());
    writeUtf8(out, e.topicUtf8());
    writeUtf8(out, e.contentTypeUtf8());
    out.writeStopBit(props.size());
    for (byte[] b : propBytes) {
      writeUtf8(out, b);
    }
    out.writeLong(e.expiresAtMillis());
    writeUtf8(out, responseTopic);
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
      if (format != FORMAT_1 && format != FORMAT_2 && format != FORMAT_3) {
        throw new CorruptEntryException(index, "unknown entry format " + format);
      }
      UUID id = new UUID(in.readLong(), in.readLong());
      long receivedAt = in.readLong();
      int qos = in.readByte();
      Utf8Interner.Entry clientId = readUtf8(in, format, index);
      Utf8Interner.Entry topic = readUtf8(in, format, index);
      Utf8Interner.Entry contentType = readUtf8(in, format, index);
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
        props.add(
            new JournalEvent.UserProperty(
                string(readUtf8(in, format, index)), string(readUtf8(in, format, index))));
      }
      long expiresAt = JournalEvent.NEVER;
      String responseTopic = null;
      byte[] correlation = null;
      int payloadFormat = JournalEvent.PAYLOAD_UNSPECIFIED;
      if (format != FORMAT_1) {
        expiresAt = in.readLong();
        responseTopic = string(readUtf8(in, format, index));
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
      JournalEvent e =
          new JournalEvent(
              index,
              id,
              receivedAt,
              qos,
              clientId.utf8(),
              topic.utf8(),
              bytes(contentType),
              props,
              expiresAt,
              responseTopic,
              correlation,
              payloadFormat,
              payload);
      e.decoded(clientId.string(), topic.string(), string(contentType));
      return e;
    } catch (CorruptEntryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CorruptEntryException(index, e.toString());
    }
  }

  private static void writeUtf8(Bytes<?> out, byte[] utf8) {
    if (utf8 == null) {
      out.writeStopBit(-1);
    } else {
      out.writeStopBit(utf8.length);
      out.write(utf8);
    }
  }

  /** A string and its standard UTF-8 bytes, or null; see the type's comment for formats 1, 2. */
  private static Utf8Interner.Entry readUtf8(Bytes<?> in, byte format, long index) {
    long start = in.readPosition();
    long n = in.readStopBit();
    if (n == -1) {
      return null;
    }
    if (n < 0 || n > in.readRemaining()) {
      throw new CorruptEntryException(index, "implausible string length " + n);
    }
    Utf8Interner.Entry kept = STRINGS.find(in, (int) n);
    if (kept != null) {
      return kept;
    }
    byte[] b = new byte[(int) n];
    in.read(b);
    if (format != FORMAT_3 && hasEncodedSurrogate(b)) {
      long end = in.readPosition();
      in.readPosition(start);
      String s = in.readUtf8();
      in.readPosition(end);
      return new Utf8Interner.Entry(s.getBytes(StandardCharsets.UTF_8), s);
    }
    return STRINGS.keep(b);
  }

  /** True if {@code b} holds a three-byte encoding of a UTF-16 surrogate (ED A0..BF xx). */
  private static boolean hasEncodedSurrogate(byte[] b) {
    for (int i = 0; i < b.length - 1; i++) {
      if (b[i] == (byte) 0xED && (b[i + 1] & 0xE0) == 0xA0) {
        return true;
      }
    }
    return false;
  }

  /** True if {@code b} holds a four-byte UTF-8 sequence (a character beyond U+FFFF). */
  private static boolean hasFourByteSequence(byte[] b) {
    if (b == null) {
      return false;
    }
    for (byte x : b) {
      if ((x & 0xF8) == 0xF0) {
        return true;
      }
    }
    return false;
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(Utf8Interner.Entry e) {
    return e == null ? null : e.string();
  }

  private static byte[] bytes(Utf8Interner.Entry e) {
    return e == null ? null : e.utf8();
  }
}
