package io.edgegate.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgegate.gateway.config.JournalConfig;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry layout: format 2 round trips, format 1 (release 0.1) still reads. */
class JournalCodecTest {
  /**
   * Two entries exactly as release 0.1 (format 1) wrote them, captured from its codec: an MQTT 5
   * event with content type and two user properties, and an MQTT 3.1.1 one with a binary payload.
   */
  private static final String FORMAT_1_MQTT5 =
      "01efcdab896745230121436587a9cbed0f7b5e56eea101000001056465762d3117646576696365732f6465762d"
          + "312f74656c656d65747279106170706c69636174696f6e2f6a736f6e020473697465056e6f72746804736974"
          + "65036e2d320d7b2274656d70223a32312e357d";

  private static final String FORMAT_1_MQTT311 =
      "0101000000000000000200000000000000c85f56eea101000000016403742f7880000003ff0001";

  @TempDir Path dir;

  @Test
  void readsFormat1EntriesWrittenByTheFirstRelease() {
    JournalEvent e = decode(FORMAT_1_MQTT5, 7);
    assertThat(e.index()).isEqualTo(7);
    assertThat(e.eventId()).isEqualTo(new UUID(0x0123456789abcdefL, 0x0fedcba987654321L));
    assertThat(e.receivedAtMillis()).isEqualTo(1795000000123L);
    assertThat(e.qos()).isEqualTo(1);
    assertThat(e.clientId()).isEqualTo("dev-1");
    assertThat(e.topic()).isEqualTo("devices/dev-1/telemetry");
    assertThat(e.contentType()).isEqualTo("application/json");
    assertThat(e.userProperties())
        .containsExactly(
            new JournalEvent.UserProperty("site", "north"),
            new JournalEvent.UserProperty("site", "n-2"));
    assertThat(new String(e.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"temp\":21.5}");
    // Format 1 knew none of these: an old entry means "no expiry, no request/response".
    assertThat(e.expiresAtMillis()).isEqualTo(JournalEvent.NEVER);
    assertThat(e.expiredAt(Long.MAX_VALUE)).isFalse();
    assertThat(e.responseTopic()).isNull();
    assertThat(e.correlationData()).isNull();
    assertThat(e.payloadFormat()).isEqualTo(JournalEvent.PAYLOAD_UNSPECIFIED);

    JournalEvent old = decode(FORMAT_1_MQTT311, 8);
    assertThat(old.eventId()).isEqualTo(new UUID(1, 2));
    assertThat(old.qos()).isZero();
    assertThat(old.contentType()).isNull();
    assertThat(old.userProperties()).isEmpty();
    assertThat(old.payload()).containsExactly(0xff, 0, 1);
  }

  @Test
  void format2KeepsExpiryResponseTopicCorrelationDataAndPayloadFormat() {
    JournalEvent full =
        event(
            1_800_000_060_000L,
            "replies/dev-1",
            new byte[] {0, (byte) 0xfe, 42},
            JournalEvent.PAYLOAD_UTF8);
    JournalEvent got = roundTrip(full);
    assertThat(got.expiresAtMillis()).isEqualTo(1_800_000_060_000L);
    assertThat(got.responseTopic()).isEqualTo("replies/dev-1");
    assertThat(got.correlationData()).containsExactly(0, 0xfe, 42);
    assertThat(got.payloadFormat()).isEqualTo(JournalEvent.PAYLOAD_UTF8);
    assertThat(got.contentType()).isEqualTo(full.contentType());
    assertThat(got.userProperties()).isEqualTo(full.userProperties());
    assertThat(got.payload()).isEqualTo(full.payload());
    assertThat(got.expiredAt(1_800_000_059_999L)).isFalse();
    assertThat(got.expiredAt(1_800_000_060_000L)).isTrue();

    // Absent and empty correlation data are different things to a requester.
    assertThat(roundTrip(event(0, null, new byte[0], 0)).correlationData()).isEmpty();
    JournalEvent none = roundTrip(event(JournalEvent.NEVER, null, null, 0));
    assertThat(none.correlationData()).isNull();
    assertThat(none.responseTopic()).isNull();
    assertThat(none.expiresAtMillis()).isEqualTo(JournalEvent.NEVER);
  }

  @Test
  void implausibleFormat2FieldsAreACorruptEntryNotAnException() {
    Bytes<?> b = Bytes.allocateElasticOnHeap();
    JournalCodec.write(b, event(0, null, null, 0));
    byte[] bytes = b.toByteArray();
    // The payload format byte sits just before the payload's length (1 byte) and the payload.
    int payloadFormatAt = bytes.length - 1 - event(0, null, null, 0).payload().length - 1;
    bytes[payloadFormatAt] = 7;
    assertThatThrownBy(() -> JournalCodec.read(Bytes.wrapForRead(bytes), 3))
        .isInstanceOf(CorruptEntryException.class)
        .hasMessageContaining("implausible MQTT 5 fields");

    Bytes<?> cut = Bytes.allocateElasticOnHeap();
    JournalCodec.write(cut, event(0, "r", new byte[40], 0));
    byte[] truncated = java.util.Arrays.copyOf(cut.toByteArray(), 90);
    assertThatThrownBy(() -> JournalCodec.read(Bytes.wrapForRead(truncated), 4))
        .isInstanceOf(CorruptEntryException.class);
  }

  @Test
  void aJournalWithFormat1EntriesIsForwardedAfterAnUpgrade() throws Exception {
    // A journal the first release left behind, then the new version appends after it.
    try (ChronicleQueue q =
            SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_HOURLY).build();
        ExcerptAppender a = q.createAppender()) {
      for (String hex : List.of(FORMAT_1_MQTT5, FORMAT_1_MQTT311)) {
        try (DocumentContext dc = a.writingDocument()) {
          dc.wire().bytes().write(HexFormat.of().parseHex(hex));
        }
      }
    }
    Vertx vertx = Vertx.vertx();
    try (Journal journal = Journal.open(dir, new JournalConfig(), JournalStats.NONE)) {
      JournalEvent appended = event(1_800_000_060_000L, "replies/dev-1", new byte[] {1}, 1);
      TestJournals.appendAll(vertx, journal, List.of(appended));
      List<JournalEntry> got = new CopyOnWriteArrayList<>();
      journal.startReader(vertx.getOrCreateContext(), got::addAll).request(10);
      await().atMost(Duration.ofSeconds(30)).until(() -> got.size() >= 3);
      assertThat(got).hasSize(3).allMatch(e -> e instanceof JournalEvent);
      assertThat(((JournalEvent) got.get(0)).clientId()).isEqualTo("dev-1");
      assertThat(((JournalEvent) got.get(1)).eventId()).isEqualTo(new UUID(1, 2));
      JournalEvent last = (JournalEvent) got.get(2);
      assertThat(last.eventId()).isEqualTo(appended.eventId());
      assertThat(last.responseTopic()).isEqualTo("replies/dev-1");
      assertThat(last.correlationData()).containsExactly(1);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void stringsAreStandardUtf8WhateverTheFormatTheyWereWrittenIn() {
    String client = "Zähler-\uD83D\uDE00";
    String topic = "d/\uD83D\uDE00/t";
    JournalEvent e =
        new JournalEvent(
            0,
            new UUID(1, 2),
            5,
            1,
            client,
            topic,
            "text/\uD83D\uDE00",
            List.of(new JournalEvent.UserProperty("k\uD83D\uDE00", "v")),
            new byte[] {9});
    // Beyond the Basic Multilingual Plane: format 3, standard UTF-8.
    Bytes<?> b = Bytes.allocateElasticOnHeap();
    JournalCodec.write(b, e);
    assertThat(b.toByteArray()[0]).isEqualTo(JournalCodec.FORMAT_3);
    JournalEvent got = JournalCodec.read(b, 4);
    assertThat(got.clientIdUtf8()).isEqualTo(client.getBytes(StandardCharsets.UTF_8));
    assertThat(got.topicUtf8()).isEqualTo(topic.getBytes(StandardCharsets.UTF_8));
    assertThat(got.clientId()).isEqualTo(client);
    assertThat(got.topic()).isEqualTo(topic);
    assertThat(got.contentType()).isEqualTo("text/\uD83D\uDE00");
    assertThat(got.userProperties()).isEqualTo(e.userProperties());

    // Within it: format 2, which the release before reads.
    Bytes<?> plain = Bytes.allocateElasticOnHeap();
    JournalCodec.write(plain, event(0, null, null, 0));
    assertThat(plain.toByteArray()[0]).isEqualTo(JournalCodec.FORMAT_2);

    // A format 2 entry as earlier releases wrote it (Chronicle's UTF-8: surrogates as 3 bytes).
    Bytes<?> old = Bytes.allocateElasticOnHeap();
    old.writeByte(JournalCodec.FORMAT_2);
    old.writeLong(1);
    old.writeLong(2);
    old.writeLong(5);
    old.writeByte((byte) 1);
    old.writeUtf8(client);
    old.writeUtf8(topic);
    old.writeUtf8(null);
    old.writeStopBit(0);
    old.writeLong(0);
    old.writeUtf8(null);
    old.writeStopBit(0);
    old.writeByte((byte) 0);
    old.writeStopBit(1);
    old.writeByte((byte) 9);
    JournalEvent legacy = JournalCodec.read(old, 5);
    assertThat(legacy.clientIdUtf8()).isEqualTo(client.getBytes(StandardCharsets.UTF_8));
    assertThat(legacy.topic()).isEqualTo(topic);
    assertThat(legacy.payload()).containsExactly(9);
  }

  private static JournalEvent decode(String hex, long index) {
    return JournalCodec.read(Bytes.wrapForRead(HexFormat.of().parseHex(hex)), index);
  }

  private static JournalEvent roundTrip(JournalEvent e) {
    Bytes<?> b = Bytes.allocateElasticOnHeap();
    JournalCodec.write(b, e);
    assertThat(b.readByte(0)).isEqualTo(JournalCodec.FORMAT_2);
    return JournalCodec.read(b, 1);
  }

  private static JournalEvent event(
      long expiresAt, String responseTopic, byte[] correlation, int payloadFormat) {
    return new JournalEvent(
        JournalEvent.UNAPPENDED,
        UUID.randomUUID(),
        1_800_000_000_000L,
        1,
        "dev-1",
        "devices/dev-1/telemetry",
        "application/json",
        List.of(new JournalEvent.UserProperty("k", "v")),
        expiresAt,
        responseTopic,
        correlation,
        payloadFormat,
        "{\"temp\":21.5}".getBytes(StandardCharsets.UTF_8));
  }
}
