package io.edgegate.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The file form of a session: a file written by an earlier run (the fixture, written by the
 * version-1 code) loads into the same state and is written back byte for byte.
 */
class SessionJsonTest {
  private static final long NOW = 1_766_000_000_000L;

  private static byte[] fixture() throws Exception {
    try (InputStream in = SessionJsonTest.class.getResourceAsStream("/session/session-v1.json")) {
      return in.readAllBytes();
    }
  }

  private static Session load() throws Exception {
    return SessionJson.read(new JsonObject(new String(fixture(), StandardCharsets.UTF_8)), NOW);
  }

  @Test
  void aSessionFileOfVersion1IsWrittenBackByteForByte() throws Exception {
    byte[] saved = SessionJson.write(load()).toBuffer().getBytes();
    assertThat(new String(saved, StandardCharsets.UTF_8))
        .isEqualTo(new String(fixture(), StandardCharsets.UTF_8));
    assertThat(saved).isEqualTo(fixture());
  }

  @Test
  void aSessionFileOfVersion1LoadsEveryPart() throws Exception {
    Session s = load();
    assertThat(s.clientId()).isEqualTo("dev-7/ü");
    assertThat(s.persistent()).isTrue();
    assertThat(s.expirySeconds()).isEqualTo(3600);
    assertThat(s.link()).isNull();
    assertThat(s.expired(1_765_000_000_000L + 3_599_999)).isFalse();
    assertThat(s.expired(1_765_000_000_000L + 3_600_000)).as("disconnectedAt kept").isTrue();

    // QoS 2 ids: only the journaled ones were saved; they are repeats with DUP=1 and the hash.
    assertThat(s.inboundCount()).isEqualTo(2);
    assertThat(s.inbound(5, 1234567890123L, true, 1)).isEqualTo(Session.Inbound.JOURNALED);
    assertThat(s.inbound(11, 77L, true, 1)).isEqualTo(Session.Inbound.JOURNALED);
    assertThat(s.inbound(11, 78L, true, 1)).isEqualTo(Session.Inbound.NEW);
    assertThat(s.inbound(9, -42L, true, 1))
        .as("was pending: not saved")
        .isEqualTo(Session.Inbound.NEW);

    assertThat(s.subscriptions())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(
                "devices/dev-7/commands/#", 1,
                "devices/dev-7/commands/reboot", 2,
                "devices/+/broadcast", 0));

    List<Session.Outbound> inflight = s.inflight();
    assertThat(inflight).extracting(Session.Outbound::packetId).containsExactly(1, 2);
    assertThat(inflight).extracting(Session.Outbound::released).containsExactly(true, false);
    Command c1 = inflight.get(0).command();
    assertThat(c1.id()).isEqualTo("c-1");
    assertThat(new String(c1.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"delay\":5}");
    assertThat(c1.qos()).isEqualTo(2);
    assertThat(c1.expiresAt()).isEqualTo(1_900_000_000_000L);
    assertThat(c1.contentType()).isEqualTo("application/json");
    assertThat(c1.responseTopic()).isEqualTo("devices/dev-7/responses");
    Command c2 = inflight.get(1).command();
    assertThat(c2.payload()).containsExactly(0, 1, 2, 0xff);
    assertThat(c2.contentType()).isNull();
    assertThat(c2.responseTopic()).isNull();

    assertThat(s.queued()).isEqualTo(4);
    assertThat(s.nextQueued().id()).isEqualTo("c-3");
    assertThat(s.nextQueued().id()).isEqualTo("c-4");
    assertThat(s.nextQueued()).isNull();
    assertThat(s.sending(c2)).as("nextPacketId kept").isEqualTo(3);

    // Delivered ids: a command read again is a duplicate.
    s.attach(() -> {}, 1, true, 3600, t -> true);
    Command again =
        new Command(
            "old-1", "dev-7/ü", "n", "devices/dev-7/commands/x", new byte[0], 1, 0, null, null);
    assertThat(s.offer(again, 10).offer()).isEqualTo(Session.Offer.DUPLICATE);
  }

  @Test
  void aSessionConnectedWhenTheGatewayStoppedCountsAsDisconnectedAtLoad() throws Exception {
    JsonObject o = new JsonObject(new String(fixture(), StandardCharsets.UTF_8));
    o.put("disconnectedAt", -1L);
    Session s = SessionJson.read(o, NOW);
    assertThat(s.expired(NOW + 3_599_999)).isFalse();
    assertThat(s.expired(NOW + 3_600_000)).isTrue();
  }

  @Test
  void optionalFieldsMayBeAbsent() {
    JsonObject minimal = new JsonObject().put("clientId", "m").put("expirySeconds", 60L);
    Session s = SessionJson.read(minimal, NOW);
    assertThat(s.queued()).isZero();
    assertThat(s.subscriptions()).isEmpty();
    assertThat(s.inboundCount()).isZero();
    assertThat(SessionJson.write(s).encode())
        .isEqualTo(
            "{\"version\":1,\"clientId\":\"m\",\"expirySeconds\":60,\"disconnectedAt\":"
                + NOW
                + ",\"nextPacketId\":1,\"qos2\":[],\"subscriptions\":{},\"inflight\":[],"
                + "\"queue\":[],\"delivered\":[]}");
  }
}
