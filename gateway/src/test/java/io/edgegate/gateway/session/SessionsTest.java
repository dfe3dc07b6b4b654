package io.edgegate.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.gateway.config.MqttSessionsConfig;
import io.edgegate.gateway.session.CommandOutcomes.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions with a real store on a temp directory: resume, restart, expiry, bounds. */
class SessionsTest {
  @TempDir Path dir;

  private final MqttSessionsConfig config = new MqttSessionsConfig();
  private final List<String> outcomes = new CopyOnWriteArrayList<>();
  private long now = 1_000_000;
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(now);
        }
      };
  private final SessionLink link = () -> {};

  private Sessions sessions() throws Exception {
    Sessions s = new Sessions(config, SessionStore.open(dir), clock);
    s.restore();
    s.outcomes(
        (c, o, reason, code) -> {
          c.settle();
          outcomes.add(c.id() + ":" + o.tag() + (reason == null ? "" : ":" + reason.text(code)));
        });
    return s;
  }

  private static Command command(String id, String device, int qos, long expiresAt) {
    return new Command(
        id,
        device,
        "reboot",
        "devices/" + device + "/commands/reboot",
        "{}".getBytes(StandardCharsets.UTF_8),
        qos,
        expiresAt,
        "application/json",
        null);
  }

  @Test
  void aPersistentSessionSurvivesARestartWithItsQos2IdsSubscriptionsAndQueue() throws Exception {
    Sessions first = sessions();
    Sessions.Opened o = first.open("d1", false, 3600, link, first.newConnectionId(), t -> true);
    assertThat(o.present()).isFalse();
    Session s = o.session();
    s.subscribe("devices/d1/commands/#", 1, 10);
    s.inboundPending(7, 42L, 1, 10);
    s.inboundJournaled(7, true);
    first.save(s).get(5, TimeUnit.SECONDS);
    first.closed(s, link, 3600);
    first.offer(command("c1", "d1", 2, 0));
    first.close();
    assertThat(outcomes).containsExactly("c1:queued:offline");

    Sessions second = sessions();
    assertThat(second.size()).isEqualTo(1);
    Sessions.Opened again =
        second.open("d1", false, 3600, link, second.newConnectionId(), t -> true);
    assertThat(again.present()).isTrue();
    Session r = again.session();
    assertThat(r.subscriptions()).containsEntry("devices/d1/commands/#", 1);
    // A repeat (DUP) of the journaled QoS 2 message on the new connection is known ...
    assertThat(r.inbound(7, 42L, true, 99)).isEqualTo(Session.Inbound.JOURNALED);
    // ... a different message reusing the id is not.
    assertThat(r.inbound(7, 43L, true, 99)).isEqualTo(Session.Inbound.NEW);
    assertThat(r.inbound(7, 42L, false, 99)).isEqualTo(Session.Inbound.NEW);
    Command queued = r.nextQueued();
    assertThat(queued.id()).isEqualTo("c1");
    assertThat(queued.qos()).as("granted QoS of the subscription").isEqualTo(1);
    second.close();
  }

  @Test
  void aDisconnectedSessionExpiresAndItsQueuedCommandsAreReportedExpired() throws Exception {
    Sessions sessions = sessions();
    Session s = sessions.open("d2", false, 10, link, 1, t -> true).session();
    s.subscribe("devices/d2/commands/+", 2, 10);
    sessions.closed(s, link, 10);
    sessions.offer(command("c2", "d2", 1, 0));
    now += 9_999;
    sessions.expire();
    assertThat(sessions.size()).isEqualTo(1);
    now += 1;
    sessions.expire();
    assertThat(sessions.size()).isZero();
    assertThat(outcomes).contains("c2:expired:session-expired");
    sessions.close();
    assertThat(sessions().size()).as("its file is gone").isZero();
  }

  @Test
  void commandsAreRefusedWithTheReason() throws Exception {
    config.maxQueued = 1;
    Sessions sessions = sessions();
    sessions.offer(command("none", "nobody", 1, 0));
    Session s = sessions.open("d3", true, 0, link, 1, t -> !t.contains("secret")).session();
    sessions.offer(command("unsub", "d3", 1, 0));
    s.subscribe("devices/d3/commands/#", 1, 10);
    sessions.offer(command("ok", "d3", 1, 0));
    sessions.offer(command("full", "d3", 1, 0));
    sessions.offer(command("old", "d3", 1, now - 1));
    assertThat(outcomes)
        .containsExactly(
            "none:refused:no-session",
            "unsub:refused:not-subscribed",
            "full:refused:queue-full",
            "old:expired:ttl");
    sessions.closed(s, link, 0);
    assertThat(outcomes).contains("ok:refused:disconnected");
    assertThat(sessions.size()).isZero();
    sessions.close();
  }

  @Test
  void newPersistentSessionsOverTheBoundAreRefused() throws Exception {
    config.max = 1;
    Sessions sessions = sessions();
    assertThat(sessions.open("a", false, 60, link, 1, t -> true).session()).isNotNull();
    assertThat(sessions.open("b", false, 60, link, 2, t -> true).session()).isNull();
    assertThat(sessions.open("c", true, 0, link, 3, t -> true).session())
        .as("a clean session is not bounded by mqtt.sessions.max")
        .isNotNull();
    sessions.close();
  }

  @Test
  void cleanStartDiscardsTheOldSession() throws Exception {
    Sessions sessions = sessions();
    Session s = sessions.open("d4", false, 60, link, 1, t -> true).session();
    s.subscribe("devices/d4/commands/#", 1, 10);
    sessions.closed(s, link, 60);
    Sessions.Opened o = sessions.open("d4", true, 60, link, 2, t -> true);
    assertThat(o.present()).isFalse();
    assertThat(o.session().subscriptions()).isEmpty();
    sessions.close();
  }

  @Test
  void outcomesCarryTheEnum() {
    assertThat(Outcome.DELIVERED.tag()).isEqualTo("delivered");
  }

  @Test
  void aCommandReadAgainAfterACrashIsNotQueuedOrDeliveredTwice() throws Exception {
    Sessions sessions = sessions();
    Session s = sessions.open("d5", false, 60, link, 1, t -> true).session();
    s.subscribe("devices/d5/commands/#", 1, 10);
    sessions.closed(s, link, 60);
    sessions.offer(command("same", "d5", 1, 0));
    sessions.offer(command("same", "d5", 1, 0));
    assertThat(s.queued()).isEqualTo(1);
    Command c = s.nextQueued();
    s.delivered(c, 10);
    sessions.save(s).get(5, TimeUnit.SECONDS);
    sessions.close();
    Sessions again = sessions();
    again.offer(command("same", "d5", 1, 0));
    assertThat(again.get("d5").queued()).as("remembered across the restart").isZero();
    again.close();
  }

  @Test
  void aDamagedSessionFileIsSetAsideAndTheOthersLoad() throws Exception {
    Sessions first = sessions();
    Session s = first.open("good", false, 60, link, 1, t -> true).session();
    first.save(s).get(5, TimeUnit.SECONDS);
    first.close();
    java.nio.file.Files.writeString(dir.resolve("0123.json"), "{not json");
    java.nio.file.Files.writeString(dir.resolve("0456.json.tmp"), "half written");
    Sessions second = sessions();
    assertThat(second.size()).isEqualTo(1);
    assertThat(second.get("good")).isNotNull();
    assertThat(dir.resolve("0123.json.damaged")).exists();
    assertThat(dir.resolve("0456.json.tmp")).doesNotExist();
    second.close();
  }
}
