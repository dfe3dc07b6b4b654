package io.edgegate.gateway.journal;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/** Builds journals for tests: events, appends through a Vert.x context, damaged entries. */
public final class TestJournals {
  private static final EventIds IDS = new EventIds(Clock.systemUTC());

  private TestJournals() {}

  /**
   * {@code n} events received from {@code receivedAt} on, one millisecond apart, from devices
   * {@code dev-0} to {@code dev-2}, with JSON payloads {@code {"seq":i}}; every fourth carries a
   * content type, two user properties, a response topic and correlation data (and no expiry).
   */
  public static List<JournalEvent> events(int n, long receivedAt) {
    List<JournalEvent> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String device = "dev-" + (i % 3);
      boolean mqtt5 = i % 4 == 0;
      JournalEvent e =
          event(
              device,
              receivedAt + i,
              mqtt5 ? "application/json" : null,
              mqtt5
                  ? List.of(
                      new JournalEvent.UserProperty("site", "north"),
                      new JournalEvent.UserProperty("site", "n-" + i))
                  : List.of(),
              ("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8));
      list.add(mqtt5 ? withRequest(e, "replies/" + device, new byte[] {(byte) i, 0}) : e);
    }
    return list;
  }

  public static JournalEvent event(
      String clientId,
      long receivedAt,
      String contentType,
      List<JournalEvent.UserProperty> properties,
      byte[] payload) {
    return new JournalEvent(
        JournalEvent.UNAPPENDED,
        IDS.next(),
        receivedAt,
        1,
        clientId,
        "devices/" + clientId + "/telemetry",
        contentType,
        properties,
        payload);
  }

  /** {@code e} as an MQTT 5 request: with a response topic and correlation data. */
  public static JournalEvent withRequest(JournalEvent e, String responseTopic, byte[] correlation) {
    return withRequest(e, responseTopic, correlation, e.expiresAtMillis());
  }

  /** Like {@link #withRequest(JournalEvent, String, byte[])}, expiring at {@code expiresAt}. */
  public static JournalEvent withRequest(
      JournalEvent e, String responseTopic, byte[] correlation, long expiresAt) {
    return new JournalEvent(
        e.index(),
        e.eventId(),
        e.receivedAtMillis(),
        e.qos(),
        e.clientId(),
        e.topic(),
        e.contentType(),
        e.userProperties(),
        expiresAt,
        responseTopic,
        correlation,
        JournalEvent.PAYLOAD_UTF8,
        e.payload());
  }

  /** Appends {@code events} from one Vert.x context, as the ingest does; returns their indexes. */
  public static List<Long> appendAll(Vertx vertx, Journal journal, List<JournalEvent> events)
      throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<List<Long>> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          List<Future<Long>> futures = new ArrayList<>();
          for (JournalEvent e : events) {
            futures.add(journal.writer().append(e));
          }
          Future.all(futures)
              .onSuccess(cf -> done.complete(cf.<Long>list()))
              .onFailure(done::completeExceptionally);
        });
    return done.get(30, TimeUnit.SECONDS);
  }

  /**
   * Writes an entry of an unknown format straight into the queue in {@code dir} (no journal open
   * there; hourly roll, the default): what a future or foreign writer, or bit rot inside intact
   * framing, leaves.
   */
  public static void appendGarbage(Path dir) {
    try (ChronicleQueue q =
            SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_HOURLY).build();
        ExcerptAppender a = q.createAppender();
        DocumentContext dc = a.writingDocument()) {
      dc.wire().bytes().writeByte((byte) 99).writeLong(42);
    }
  }
}
