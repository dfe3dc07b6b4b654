package io.edgegate.gateway.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The binary layout of a journal entry. The first byte is the format version, so that a newer
 * gateway can still read entries an older one wrote.
 *
 * <pre>
 * u8 format(1) | i64 id-msb | i64 id-lsb | i64 received-ms | u8 qos
 * | utf8 client-id | utf8 topic | utf8? content-type
 * | stop-bit n, n × (utf8 name, utf8 value) | stop-bit length, payload bytes
 * </pre>
 */
final class JournalCodec {
  static final byte FORMAT_1 = 1;
  private static final int MAX_USER_PROPERTIES = 4096;

  private JournalCodec() {}

  static void write(Bytes<?> out, JournalEvent e) {
    out.writeByte(FORMAT_1);
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
    out.writeStopBit(e.payload().length);
    out.write(e.payload());
  }

  /** Decodes one entry; a damaged or unknown entry throws {@link CorruptEntryException}. */
  static JournalEvent read(Bytes<?> in, long index) {
    try {
      byte format = in.readByte();
      if (format != FORMAT_1) {
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
      long length = in.readStopBit();
      if (length < 0 || length > in.readRemaining()) {
        throw new CorruptEntryException(
            index,
            "payload length " + length + " exceeds the entry (" + in.readRemaining() + " left)");
      }
      byte[] payload = new byte[(int) length];
      in.read(payload);
      return new JournalEvent(
          index, id, receivedAt, qos, clientId, topic, contentType, props, payload);
    } catch (CorruptEntryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CorruptEntryException(index, e.toString());
    }
  }
}
